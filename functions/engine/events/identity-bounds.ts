/**
 * Identity strings of a canonical event (server, tool, session, principal, client names) are keys:
 * detectors cache them, build state keys from them and keep them in state. Capped once, at
 * normalization, so no stored copy of one can be large: a value longer than IDENTITY_MAX_CHARS
 * keeps its start and gets `…#` + 16 hex chars of its SHA-256, so distinct long values stay distinct.
 * No MCP server, tool or principal has a name anywhere near this long; only an attacker's does.
 */
import { digest } from '../state/digest.js';

export const IDENTITY_MAX_CHARS = 1024;
const KEPT_CHARS = IDENTITY_MAX_CHARS - 32;

const TOP: readonly string[] = ['tool', 'session', 'trace'];
const NESTED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['server', ['name', 'version', 'instance']],
  ['client', ['name', 'version', 'ip', 'userAgent']],
  ['principal', ['sub', 'iss', 'clientId', 'email']],
];

function capped(value: string): string {
  return `${value.slice(0, KEPT_CHARS)}…#${digest('sha256', value, 'hex').slice(0, 16)}`;
}

/** Caps the identity strings of `event` in place (it was just parsed; nothing else holds it). */
export function boundIdentityStrings(event: Record<string, unknown>): void {
  for (const key of TOP) {
    const v = event[key];
    if (typeof v === 'string' && v.length > IDENTITY_MAX_CHARS) event[key] = capped(v);
  }
  for (const [outer, keys] of NESTED) {
    const obj = event[outer];
    if (typeof obj !== 'object' || obj === null) continue;
    const o = obj as Record<string, unknown>;
    for (const key of keys) {
      const v = o[key];
      if (typeof v === 'string' && v.length > IDENTITY_MAX_CHARS) o[key] = capped(v);
    }
  }
}
