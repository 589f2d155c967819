/**
 * State-key, subject and field parts that may be long or attacker-controlled (principals, session
 * ids, origins, audiences): short values stay readable, long ones become `#` + 16 hex chars of
 * their SHA-256, so no input can grow a key or an item.
 */
import { createHash } from 'node:crypto';

export const KEY_PART_MAX = 64;

export function keyPart(value: string, max = KEY_PART_MAX): string {
  if (value.length <= max) return value;
  return `#${hash16(value)}`;
}

/** 16 hex chars of SHA-256: a fixed-size field name for any value. */
export function hash16(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
