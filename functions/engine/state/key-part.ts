/**
 * State-key, subject and member parts that may be long or attacker-controlled (session ids, tool
 * names, principals, URIs): short values stay readable; long ones, and ones holding the key
 * separator `|`, become `#` + 16 hex chars of their SHA-256 — so no input can grow a key or an
 * item, or forge another detector's key.
 */
import { digest } from './digest.js';

export const KEY_PART_MAX = 64;

/** 16 hex chars of SHA-256: a fixed-size stand-in for any value. */
export function hash16(value: string): string {
  return digest('sha256', value, 'hex').slice(0, 16);
}

export function keyPart(value: string, max = KEY_PART_MAX): string {
  return value.length <= max && !value.includes('|') ? value : `#${hash16(value)}`;
}
