/**
 * How an alert is rendered for SNS: a short Subject, a JSON body for machines (SQS, Lambda, HTTPS
 * subscribers get it as-is), a readable text for email, and String message attributes that SNS
 * filter policies route on.
 */
import type { Alert } from '../engine/alerts/alert.js';
import { redactText } from '../engine/alerts/redact.js';

/** SNS limits: Subject ≤ 100 printable ASCII chars; message plus attributes ≤ 256 KiB (UTF-8 bytes). */
const SUBJECT_MAX = 100;
const BODY_BUDGET = 200_000;
const SNS_MAX_BYTES = 262_144;
/** Headroom under SNS_MAX_BYTES for the subject, attribute names and values. */
const MESSAGE_BUDGET_BYTES = SNS_MAX_BYTES - 6_144;
const EVIDENCE_DROPPED = { truncated: 'evidence too large for SNS' };

export function alertSubject(alert: Alert): string {
  const raw = `[${alert.severity.toUpperCase()}] ${alert.detector} on ${alert.server}: ${alert.title}`;
  const ascii = redactText(raw, 200).replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

export function alertText(alert: Alert, options: { readonly evidence?: boolean } = {}): string {
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
    options.evidence === false ? '(too large for email: see the JSON alert)' : JSON.stringify(alert.evidence, null, 2),
    '',
    `References:  ${alert.references.map((r) => `${r.id} ${r.title}${r.url ? ` <${r.url}>` : ''}`).join('; ')}`,
  ];
  return lines.join('\n');
}

/** The alert as JSON, with evidence dropped if it would break SNS's size limit. */
export function alertJson(alert: Alert): string {
  const json = JSON.stringify(alert);
  if (Buffer.byteLength(json) <= BODY_BUDGET) return json;
  return JSON.stringify({ ...alert, evidence: EVIDENCE_DROPPED });
}

export interface SnsAlertMessage {
  readonly Subject: string;
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

/**
 * The MessageStructure document `{default, email}`, within SNS's size limit measured the way SNS
 * measures it (UTF-8 bytes of the final, JSON-escaped document): evidence is left out of the email
 * text first, then out of the JSON too. Everything else in an alert is bounded by the engine.
 */
function structuredMessage(alert: Alert): string {
  const attempts: Array<() => { default: string; email: string }> = [
    () => ({ default: alertJson(alert), email: alertText(alert) }),
    () => ({ default: alertJson(alert), email: alertText(alert, { evidence: false }) }),
    () => ({ default: JSON.stringify({ ...alert, evidence: EVIDENCE_DROPPED }), email: alertText(alert, { evidence: false }) }),
  ];
  let message = '';
  for (const attempt of attempts) {
    message = JSON.stringify(attempt());
    if (Buffer.byteLength(message) <= MESSAGE_BUDGET_BYTES) return message;
  }
  return message;
}

export function snsMessageFor(alert: Alert): SnsAlertMessage {
  const message = structuredMessage(alert);
  // Attribute values travel outside the JSON body (URL-encoded by the SDK): the sink choke point again.
  const attr = (value: string) => ({ DataType: 'String' as const, StringValue: redactText(value, 200) || 'unknown' });
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
