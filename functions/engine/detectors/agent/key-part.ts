/**
 * State-key, subject and member parts that may be long or attacker-controlled (session ids, tool
 * names, principals): short values stay readable, long ones become `#` + 16 hex chars of SHA-256.
 */
import { createHash } from 'node:crypto';

export const KEY_PART_MAX = 64;

export function keyPart(value: string, max = KEY_PART_MAX): string {
  if (value.length <= max) return value;
  return `#${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}

/** The acting agent for per-agent history: the principal, else the client's name. */
export function agentIdentity(principal: string | undefined, clientName: string | undefined): string | undefined {
  if (principal !== undefined) return `principal:${keyPart(principal)}`;
  if (clientName !== undefined) return `client:${keyPart(clientName)}`;
  return undefined;
}
