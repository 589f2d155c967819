/**
 * State-key and set-member parts that may be long or attacker-controlled (URIs, tool names, paths):
 * short values are kept readable, long ones become 16 hex chars of their SHA-256.
 */
import { createHash } from 'node:crypto';

export const SHORT_KEY_MAX = 48;

export function shortKey(value: string, max = SHORT_KEY_MAX): string {
  if (value.length <= max) return value;
  return `#${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}
