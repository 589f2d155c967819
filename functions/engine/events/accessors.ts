/** Small readers of canonical events shared by detectors (one definition of "the principal"). */
import type { McpEvent } from './schema.js';

/** The principal's identity: `sub`, else the OAuth `clientId`. */
export function principalId(event: McpEvent): string | undefined {
  return event.principal?.sub ?? event.principal?.clientId;
}

export function clientIp(event: McpEvent): string | undefined {
  return event.client?.ip;
}

export function serverName(event: McpEvent): string | undefined {
  return event.server?.name;
}

/** The principal when known, else the token fingerprint, else the client IP: who is acting. */
export function actorKey(event: McpEvent): string | undefined {
  const p = principalId(event);
  if (p !== undefined) return `principal:${p}`;
  if (event.principal?.tokenFp !== undefined) return `token:${event.principal.tokenFp}`;
  const ip = clientIp(event);
  return ip !== undefined ? `ip:${ip}` : undefined;
}

/** Fields every finding about this event carries, for routing and fingerprints. */
export function findingContext(event: McpEvent): {
  server?: string;
  session?: string;
  principal?: string;
  clientIp?: string;
  tool?: string;
} {
  const out: { server?: string; session?: string; principal?: string; clientIp?: string; tool?: string } = {};
  if (event.server?.name !== undefined) out.server = event.server.name;
  if (event.session !== undefined) out.session = event.session;
  const p = principalId(event);
  if (p !== undefined) out.principal = p;
  if (event.client?.ip !== undefined) out.clientIp = event.client.ip;
  if (event.tool !== undefined) out.tool = event.tool;
  return out;
}
