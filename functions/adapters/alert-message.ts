/**
 * How an alert is rendered for SNS: a short Subject, a JSON body for machines (SQS, Lambda, HTTPS
 * subscribers get it as-is), a readable text for email, and String message attributes that SNS
 * filter policies route on.
 */
import type { Alert } from '../engine/alerts/alert.js';

/** SNS limits: Subject ≤ 100 printable ASCII chars; whole message ≤ 256 KB. */
const SUBJECT_MAX = 100;
const BODY_BUDGET = 200_000;

export function alertSubject(alert: Alert): string {
  const raw = `[${alert.severity.toUpperCase()}] ${alert.detector} on ${alert.server}: ${alert.title}`;
  // eslint-disable-next-line no-control-regex
  const ascii = raw.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

export function alertText(alert: Alert): string {
  const lines = [
    `${alert.severity.toUpperCase()} — ${alert.title}`,
    '',
    `Detector:    ${alert.detector} (${alert.category})`,
    `Server:      ${alert.server}`,
    ...(alert.session ? [`Session:     ${alert.session}`] : []),
    ...(alert.principal ? [`Principal:   ${alert.principal}`] : []),
    ...(alert.clientIp ? [`Client IP:   ${alert.clientIp}`] : []),
    ...(alert.tool ? [`Tool:        ${alert.tool}`] : []),
    `Seen:        ${alert.firstSeen} → ${alert.lastSeen} (${alert.count}×)`,
    `Fingerprint: ${alert.fingerprint}`,
    '',
    `What:        ${alert.description}`,
    `Runbook:     ${alert.runbook}`,
    '',
    'Evidence:',
    JSON.stringify(alert.evidence, null, 2),
    '',
    `References:  ${alert.references.map((r) => `${r.id} ${r.title}${r.url ? ` <${r.url}>` : ''}`).join('; ')}`,
  ];
  return lines.join('\n');
}

/** The alert as JSON, with evidence dropped if it would break SNS's size limit. */
export function alertJson(alert: Alert): string {
  const json = JSON.stringify(alert);
  if (json.length <= BODY_BUDGET) return json;
  return JSON.stringify({ ...alert, evidence: { truncated: 'evidence too large for SNS' } });
}

export interface SnsAlertMessage {
  readonly Subject: string;
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

export function snsMessageFor(alert: Alert): SnsAlertMessage {
  const json = alertJson(alert);
  const text = alertText(alert);
  const message = JSON.stringify({ default: json, email: text.length > BODY_BUDGET / 2 ? text.slice(0, BODY_BUDGET / 2) : text });
  const attr = (value: string) => ({ DataType: 'String' as const, StringValue: value.slice(0, 256) || 'unknown' });
  return {
    Subject: alertSubject(alert),
    Message: message,
    MessageStructure: 'json',
    MessageAttributes: {
      severity: attr(alert.severity),
      category: attr(alert.category),
      detector: attr(alert.detector),
      server: attr(alert.server),
    },
  };
}
