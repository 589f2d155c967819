/**
 * Reads an alert back from an SQS message body fed by an SNS topic, in any of the shapes that
 * reach a queue: raw message delivery (the alert JSON, or SNS's `default` of a MessageStructure
 * json document), or the SNS notification envelope (`{"Type":"Notification","Message":…}`).
 */
import type { Alert } from '../../engine/alerts/alert.js';
import { isSeverity } from '../../engine/alerts/severity.js';

export type ParsedAlert = { readonly ok: true; readonly alert: Alert } | { readonly ok: false; readonly error: string };

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isAlert(value: unknown): value is Alert {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.detector === 'string' && typeof v.fingerprint === 'string' && isSeverity(v.severity) && typeof v.firstSeen === 'string' && typeof v.lastSeen === 'string' && typeof v.title === 'string';
}

export function alertFromMessageBody(body: string): ParsedAlert {
  let value = parse(body);
  for (let depth = 0; depth < 3; depth++) {
    if (isAlert(value)) return { ok: true, alert: value };
    if (typeof value !== 'object' || value === null) break;
    const v = value as Record<string, unknown>;
    if (v.Type === 'Notification' && typeof v.Message === 'string') value = parse(v.Message);
    else if (typeof v.default === 'string') value = parse(v.default);
    else break;
  }
  return { ok: false, error: 'message body is not an mcp-watchtower alert' };
}
