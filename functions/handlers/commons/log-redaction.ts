/**
 * Every string a handler logs goes through the engine's one sink choke point (`redactText`):
 * well-formed, secrets redacted, bounded. Installed as the Powertools Logger's JSON replacer, so it
 * covers every field of every log line (error messages and stacks included), whoever logs it.
 */
import { redactText } from '../../engine/alerts/redact.js';

/** Longest string one log field keeps. */
export const LOG_STRING_MAX = 8192;

export function redactLogValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactText(value, LOG_STRING_MAX) : value;
}
