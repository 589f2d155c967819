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

function capped(value: string): string {
  return `${value.slice(0, KEPT_CHARS)}…#${digest('sha256', value, 'hex').slice(0, 16)}`;
}

/** Caps `obj[key]` when it is an over-long string. */
function bound(obj: Record<string, unknown>, key: string): void {
  const v = obj[key];
  if (typeof v === 'string' && v.length > IDENTITY_MAX_CHARS) obj[key] = capped(v);
}

function nested(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * Caps the identity strings of `event` in place (it was just parsed; nothing else holds it): `tool`,
 * `session`, `trace`, `server.{name,version,instance}`, `client.{name,version,ip,userAgent}`,
 * `principal.{sub,iss,clientId,email}`. Straight-line (no key tables to iterate): it runs for
 * every event.
 */
export function boundIdentityStrings(event: Record<string, unknown>): void {
  bound(event, 'tool');
  bound(event, 'session');
  bound(event, 'trace');
  const server = nested(event.server);
  if (server !== undefined) {
    bound(server, 'name');
    bound(server, 'version');
    bound(server, 'instance');
  }
  const client = nested(event.client);
  if (client !== undefined) {
    bound(client, 'name');
    bound(client, 'version');
    bound(client, 'ip');
    bound(client, 'userAgent');
  }
  const principal = nested(event.principal);
  if (principal !== undefined) {
    bound(principal, 'sub');
    bound(principal, 'iss');
    bound(principal, 'clientId');
    bound(principal, 'email');
  }
}
