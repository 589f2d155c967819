import * as z from 'zod';
import { clientIp, findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import type { StateRecord } from '../../state/state-record.js';
import { defineDetector } from '../detector.js';
import { CountThreshold } from '../threshold.js';
import { keyPart } from '../../state/key-part.js';
import { BoundedKeyCache2 } from '../bounded-key-cache.js';

const HOUR_MS = 3600_000;
const MESSAGE_SCAN_MAX = 300;
const UNKNOWN_SESSION_MESSAGE = /session not found|unknown session|invalid session/i;
/** Record bookkeeping fields (identity fields start with a letter and a colon, so they cannot collide). */
const REFRESHED_AT = '_at';
const HAS_IDENTITY = '_id';
/** The identity facets of the last event, so the usual repeat costs one read. */
const LAST_SIGNATURE = '_sig';
const BOOKKEEPING_FIELDS = 3;
const EVIDENCE_VALUES = 4;

type Facet = 'sub' | 'clientId' | 'tokenFp';
const PREFIX: Record<Facet, string> = { sub: 's:', clientId: 'c:', tokenFp: 't:' };
const FACETS: readonly Facet[] = ['sub', 'clientId', 'tokenFp'];

/** Per raw server name and session id: the same key string for every event (see KeyCache2). */
const sessionKeys = new BoundedKeyCache2((server, session) => `AUTH-SESSION-HIJACK|${keyPart(server)}|session|${keyPart(session)}`);

/**
 * A request naming a session the server does not know: `auth.reason` session_not_found, a 404 with
 * a session id (Streamable HTTP answers an unknown Mcp-Session-Id with 404), or a session error
 * message on an event that is not a tool call (a tool's own "browser session not found" is not
 * about the MCP session).
 */
function isUnknownSession(e: McpEvent): boolean {
  if (e.auth?.reason === 'session_not_found') return true;
  if (e.http?.status === 404 && e.session !== undefined) return true;
  const message = e.error?.message;
  return message !== undefined && e.tool === undefined && UNKNOWN_SESSION_MESSAGE.test(message.slice(0, MESSAGE_SCAN_MAX));
}

/** Whether `stored` is the signature `sub\nclientId\ntokenFp`, compared in place (no string built per event). */
function signatureIs(stored: unknown, sub: string, clientId: string, tokenFp: string): boolean {
  if (typeof stored !== 'string' || stored.length !== sub.length + clientId.length + tokenFp.length + 2) return false;
  const second = sub.length + 1;
  const third = second + clientId.length + 1;
  return (
    stored.charCodeAt(second - 1) === 10 &&
    stored.charCodeAt(third - 1) === 10 &&
    stored.startsWith(sub) &&
    stored.startsWith(clientId, second) &&
    stored.startsWith(tokenFp, third)
  );
}

/** Events that were not served as the session's owner: nothing to attribute to the session. */
function notServed(e: McpEvent): boolean {
  return e.auth?.outcome === 'failure' || e.http?.status === 401;
}

function valuesOf(record: StateRecord, facet: Facet): string[] {
  const prefix = PREFIX[facet];
  return record.fields().filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
}

/**
 * The identity conflict this event brings into the session, if any: another `sub`; without a
 * `sub`, another OAuth `clientId`; without either, another token fingerprint — but only in a
 * session that never showed an identity (the same user refreshing a token gets a new fingerprint,
 * which is normal; it can only be told apart when the identity is known).
 */
function conflict(record: StateRecord, facet: Facet, value: string): string[] {
  if (facet === 'tokenFp' && record.has(HAS_IDENTITY)) return [];
  return valuesOf(record, facet).filter((v) => v !== value);
}

export const authSessionHijack = defineDetector({
  meta: {
    id: 'AUTH-SESSION-HIJACK',
    category: 'auth',
    title: 'Session hijacking or session-id guessing',
    severity: 'high',
    detects:
      'One MCP session (Mcp-Session-Id) used by more than one principal (sub, else OAuth client id) or, when no identity is logged, by more than one token; and bursts of requests naming unknown sessions from one IP.',
    why:
      'Session ids must not stand in for authentication: a server that routes by session id alone lets whoever learns or guesses an id act in someone else\'s session (session hijack prompt injection, impersonation). A second principal in one session means the id leaked or the server does not bind sessions to users; many "session not found" answers to one IP mean someone is guessing ids.',
    tuning:
      'Token refresh is normal: the same `sub` with a new token fingerprint does not count. Sessions whose events carry only token fingerprints (no sub/clientId) count a new fingerprint as a new holder, so log the principal to avoid false alarms on refresh. Sessions are remembered for `sessionTtlHours` after their last activity. Raise `unknownSessionThreshold` when many clients share one NAT address and a server restart drops all sessions at once (clients then re-initialize after one 404 each).',
    runbook: 'Terminate the session (DELETE) and revoke both principals\' tokens; check how the session id leaked (logs, URLs, a proxy) and that the server binds sessions to the authenticated user.',
    references: [
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25): session hijacking', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices' },
      { id: 'MCP-SPEC-TRANSPORTS', title: 'MCP Transports (2025-11-25): session management, 404 for unknown sessions', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports' },
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'CWE-384', title: 'CWE-384 Session Fixation', url: 'https://cwe.mitre.org/data/definitions/384.html' },
      { id: 'MITRE-T1550', title: 'MITRE ATT&CK T1550 Use Alternate Authentication Material', url: 'https://attack.mitre.org/techniques/T1550/' },
    ],
    state: 'window',
  },
  settings: z.object({
    sessionTtlHours: z
      .number()
      .min(1)
      .default(24)
      .describe('A session is remembered this long after its last activity (its life for this detector).'),
    maxIdentitiesPerSession: z
      .number()
      .int()
      .min(2)
      .max(64)
      .default(16)
      .describe('Identities (subs, client ids, token fingerprints) remembered per session; past it new ones are still compared but not stored.'),
    unknownSessionThreshold: z.number().int().min(1).default(20).describe('Unknown-session answers per IP in the window that raise a medium alert.'),
    unknownSessionWindowSeconds: z.number().int().min(10).default(300).describe('Sliding window for unknown-session answers.'),
  }),
  events: ['mcp.call', 'mcp.auth', 'mcp.session', 'mcp.notification', 'mcp.tools'],
  prepare(s) {
    return {
      unknownSessions: new CountThreshold({ threshold: s.unknownSessionThreshold, windowMs: s.unknownSessionWindowSeconds * 1000, report: 'every' }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const s = ctx.settings;
    const t = ev.ts;
    const serverName = e.server?.name ?? 'unknown';

    // --- session-id guessing -------------------------------------------------------------------
    if (isUnknownSession(e)) {
      const ip = clientIp(e);
      if (ip === undefined) return;
      const count = ctx.prepared.unknownSessions.count(ctx.state, `AUTH-SESSION-HIJACK|${keyPart(serverName)}|unknown|ip=${keyPart(ip)}`, t);
      if (count < 0) return;
      ctx.report({
        ...findingContext(e),
        severity: 'medium',
        title: `${count} requests for unknown sessions in ${s.unknownSessionWindowSeconds}s from ${keyPart(ip)}`,
        subject: `ip=${keyPart(ip)}`,
        ts: t,
        evidence: { unknownSessions: count, threshold: s.unknownSessionThreshold, windowSeconds: s.unknownSessionWindowSeconds },
      });
      return;
    }

    // --- more than one holder per session -------------------------------------------------------
    const session = e.session;
    const p = e.principal;
    if (session === undefined || p === undefined || notServed(e)) return;
    const facet: Facet | undefined =
      p.sub !== undefined ? 'sub' : p.clientId !== undefined ? 'clientId' : p.tokenFp !== undefined ? 'tokenFp' : undefined;
    if (facet === undefined) return;
    const ttlMs = s.sessionTtlHours * HOUR_MS;
    const record = ctx.state.record(sessionKeys.key(serverName, session), {
      ttlMs,
      maxFields: s.maxIdentitiesPerSession + BOOKKEEPING_FIELDS,
    });
    let lastRefresh = record.get<number>(REFRESHED_AT);
    if (typeof lastRefresh === 'number' && t - lastRefresh > ttlMs) {
      // The session's life ended (a remote store would have expired the item): start afresh.
      for (const field of record.fields()) record.delete(field, t);
      lastRefresh = undefined;
    }

    // Bookkeeping first, so a record full of identities still refreshes.
    const due = typeof lastRefresh !== 'number' || t - lastRefresh > ttlMs / 4;
    const sub = p.sub !== undefined ? keyPart(p.sub) : '';
    const clientId = p.clientId !== undefined ? keyPart(p.clientId) : '';
    const tokenFp = p.tokenFp !== undefined ? keyPart(p.tokenFp) : '';
    if (!due && signatureIs(record.get(LAST_SIGNATURE), sub, clientId, tokenFp)) return;
    const signature = `${sub}\n${clientId}\n${tokenFp}`;
    const value = keyPart(p[facet] as string);
    if (due) record.set(REFRESHED_AT, t, t);
    record.set(LAST_SIGNATURE, signature, t);
    if (facet !== 'tokenFp' && !record.has(HAS_IDENTITY)) record.set(HAS_IDENTITY, 1, t);

    const field = PREFIX[facet] + value;
    const isNew = !record.has(field);
    const others = isNew ? conflict(record, facet, value) : [];
    // Remember every facet the event shows, so later events (which may log fewer) compare against them.
    for (const f of FACETS) {
      const v = p[f];
      if (v === undefined) continue;
      const name = PREFIX[f] + keyPart(v);
      if (!record.has(name)) record.set(name, t, t);
    }

    if (others.length === 0) return;
    const sessionPart = keyPart(session);
    ctx.report({
      ...findingContext(e),
      severity: 'high',
      title: `Session ${sessionPart} used by another ${facet === 'tokenFp' ? 'token' : 'principal'}: ${facet} ${value} after ${others[0] ?? ''}`,
      subject: `session=${sessionPart}`,
      ts: t,
      evidence: {
        facet,
        current: value,
        previous: others.slice(0, EVIDENCE_VALUES),
        identitiesInSession: others.length + 1,
      },
    });
  },
});
