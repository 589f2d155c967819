/**
 * What every destination format starts from: the alert re-sanitized (a destination may receive an
 * alert parsed back from SNS, so secrets are redacted again and every free-text field re-bounded)
 * and small helpers to cut text to a destination's limits.
 */
import type { Alert } from '../alert.js';
import { redactEvidence, redactText } from '../redact.js';

/** Cuts `text` to at most `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function utf8Bytes(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The alert with every field that can carry log content redacted and bounded again. */
export function sanitizeAlert(alert: Alert, evidenceMaxBytes = 4096): Alert {
  const opt = (v: string | undefined, max: number) => (v === undefined ? undefined : redactText(v, max));
  const session = opt(alert.session, 128);
  const principal = opt(alert.principal, 128);
  const clientIp = opt(alert.clientIp, 64);
  const tool = opt(alert.tool, 128);
  const { session: _s, principal: _p, clientIp: _c, tool: _t, ...rest } = alert;
  return {
    ...rest,
    title: redactText(alert.title, 200),
    server: redactText(alert.server, 128),
    ...(session !== undefined ? { session } : {}),
    ...(principal !== undefined ? { principal } : {}),
    ...(clientIp !== undefined ? { clientIp } : {}),
    ...(tool !== undefined ? { tool } : {}),
    evidence: redactEvidence(alert.evidence, evidenceMaxBytes),
  };
}

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The CloudWatch Logs log group ARN the alert's event came from, when known. */
export function logGroupArn(alert: Alert, account: string | undefined, region: string | undefined): string | undefined {
  const name = alert.source?.logGroup;
  if (name === undefined || account === undefined || region === undefined) return undefined;
  return `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:${name}`;
}

/** Epoch ms of an ISO time (0 when unreadable). */
export function epochMs(iso: string | undefined): number {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

/** When the lifecycle event happened: resolution time, else the last occurrence. */
export function eventTime(alert: Alert): string {
  return alert.status === 'resolved' && alert.resolvedAt !== undefined ? alert.resolvedAt : alert.lastSeen;
}
