import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { defineDetector } from '../detector.js';
import { PerServer } from '../per-server.js';
import { keyPart } from '../../state/key-part.js';

const VALUE_MAX = 2048;
/** Audiences of one token that are compared (a token with more is unusual and still checked by its first ones). */
const MAX_AUDIENCES = 16;
const EVIDENCE_VALUES = 4;
const EVIDENCE_VALUE_MAX = 128;
const SCHEME_AND_AUTHORITY = /^[a-z][a-z0-9+.-]{0,31}:\/\/[^/?#]*/i;

/**
 * Resource and issuer identifiers compared leniently where RFC 3986 says they are equal: scheme
 * and host are case-insensitive, and a trailing slash is dropped (the MCP spec's canonical server
 * URI has none, but tokens and configs often carry one). The path keeps its case.
 */
export function canonicalIdentifier(value: string): string {
  const text = (value.length > VALUE_MAX ? value.slice(0, VALUE_MAX) : value).trim();
  const authority = SCHEME_AND_AUTHORITY.exec(text)?.[0];
  const out = authority !== undefined ? authority.toLowerCase() + text.slice(authority.length) : text;
  let end = out.length;
  while (end > 0 && out.charCodeAt(end - 1) === 47 /* '/' */) end--;
  return out.slice(0, end);
}

const MEMO_MAX = 10_000;
/** Longer values are canonicalised each time: the memo never holds attacker-sized strings. */
const MEMO_VALUE_MAX = 256;
const canonicalMemo = new Map<string, string>();

/** canonicalIdentifier, memoised: a server sees the same few audiences and issuers on every request. */
function canonical(value: string): string {
  if (value.length > MEMO_VALUE_MAX) return canonicalIdentifier(value);
  let out = canonicalMemo.get(value);
  if (out === undefined) {
    out = canonicalIdentifier(value);
    if (canonicalMemo.size >= MEMO_MAX) canonicalMemo.clear();
    canonicalMemo.set(value, out);
  }
  return out;
}

/** A server's configured audiences or issuers: as written (for evidence) and canonical (to compare). */
interface Expected {
  readonly values: readonly string[];
  readonly canonical: ReadonlySet<string>;
}

function expected(values: readonly string[] | undefined): Expected | undefined {
  return values !== undefined && values.length > 0 ? { values, canonical: new Set(values.map(canonicalIdentifier)) } : undefined;
}

/** The server refused the token itself: it did its job (AUTH-BRUTE-FORCE counts those). */
function rejected(e: McpEvent): boolean {
  return e.auth?.outcome === 'failure' || e.http?.status === 401;
}

function shown(values: readonly string[]): string[] {
  return values.slice(0, EVIDENCE_VALUES).map((v) => keyPart(v, EVIDENCE_VALUE_MAX));
}

export const authTokenAudience = defineDetector({
  meta: {
    id: 'AUTH-TOKEN-AUDIENCE',
    category: 'auth',
    title: 'Token for another audience or issuer',
    severity: 'critical',
    detects:
      'A request served with a token whose audience (`aud`) is none of the server\'s configured resource URIs, or whose issuer (`iss`) is not a configured issuer.',
    why:
      'MCP servers must accept only tokens issued for them (RFC 8707 resource indicators, audience validation). A token minted for another service being accepted means token passthrough or a confused deputy: anyone holding a token for any API of the same authorization server can use this MCP server, and a compromised upstream token becomes a key to it.',
    tuning:
      'Active only for servers with `servers.<name>.audiences` and/or `servers.<name>.issuers` in the config (or the "*" entry); without them nothing is compared and nothing is reported. Checked only when the event carries the claim (`principal.aud` / `principal.iss`). A token that matches any one configured audience is fine. Scheme and host compare case-insensitively and a trailing slash is ignored. Tokens the server rejected (401, mcp.auth failure) are ignored unless `includeRejected` is on.',
    runbook: 'Find the client and principal that presented the token; fix the server\'s audience validation if it accepted it, and revoke the token if it was not meant for this server.',
    references: [
      { id: 'MCP-SPEC-AUTH', title: 'MCP Authorization (2025-11-25): token audience binding and validation', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization' },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25): token passthrough, confused deputy', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices' },
      { id: 'RFC-8707', title: 'RFC 8707 Resource Indicators for OAuth 2.0', url: 'https://www.rfc-editor.org/rfc/rfc8707' },
      { id: 'OWASP-MCP01', title: 'OWASP MCP Top 10: Token Mismanagement & Secret Exposure' },
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'CWE-441', title: 'CWE-441 Unintended Proxy or Intermediary (Confused Deputy)', url: 'https://cwe.mitre.org/data/definitions/441.html' },
      { id: 'MITRE-T1550.001', title: 'MITRE ATT&CK T1550.001 Use Alternate Authentication Material: Application Access Token', url: 'https://attack.mitre.org/techniques/T1550/001/' },
    ],
    state: 'none',
  },
  settings: z.object({
    includeRejected: z
      .boolean()
      .default(false)
      .describe('Also report tokens the server rejected (401 / mcp.auth failure): noisy, the server already did its job.'),
  }),
  events: ['mcp.call', 'mcp.auth', 'mcp.session', 'mcp.notification', 'mcp.tools'],
  prepare(_settings, config) {
    return new PerServer(config, (expectation) => ({ audiences: expected(expectation.audiences), issuers: expected(expectation.issuers) }));
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const principal = e.principal;
    if (principal === undefined || (principal.aud === undefined && principal.iss === undefined)) return;
    const { audiences, issuers } = ctx.prepared.of(e.server?.name);
    if (audiences === undefined && issuers === undefined) return;
    const wasRejected = rejected(e);
    if (wasRejected && !ctx.settings.includeRejected) return;

    let tokenAudiences: string[] | undefined;
    let audienceWrong = false;
    if (audiences !== undefined && principal.aud !== undefined) {
      const raw = typeof principal.aud === 'string' ? [principal.aud] : principal.aud;
      tokenAudiences = raw.slice(0, MAX_AUDIENCES).filter((a): a is string => typeof a === 'string');
      const expected = audiences.canonical;
      audienceWrong = !tokenAudiences.some((a) => expected.has(canonical(a)));
    }
    const issuerWrong =
      issuers !== undefined && typeof principal.iss === 'string' && !issuers.canonical.has(canonical(principal.iss));
    if (!audienceWrong && !issuerWrong) return;

    const audText = tokenAudiences !== undefined && tokenAudiences.length > 0 ? tokenAudiences.join(' ') : '(none)';
    const subject = audienceWrong ? `aud=${keyPart(audText)}` : `iss=${keyPart(principal.iss ?? '')}`;
    const server = e.server?.name ?? 'unknown';
    ctx.report({
      ...findingContext(e),
      severity: 'critical',
      title: audienceWrong
        ? `${server} ${wasRejected ? 'was presented' : 'accepted'} a token for another audience: ${keyPart(audText, EVIDENCE_VALUE_MAX)}`
        : `${server} ${wasRejected ? 'was presented' : 'accepted'} a token from an unexpected issuer: ${keyPart(principal.iss ?? '', EVIDENCE_VALUE_MAX)}`,
      subject,
      ts: ev.ts,
      evidence: {
        mismatch: audienceWrong && issuerWrong ? ['aud', 'iss'] : audienceWrong ? ['aud'] : ['iss'],
        ...(tokenAudiences !== undefined ? { aud: shown(tokenAudiences) } : {}),
        ...(audiences !== undefined ? { expectedAudiences: shown(audiences.values) } : {}),
        ...(principal.iss !== undefined ? { iss: keyPart(principal.iss, EVIDENCE_VALUE_MAX) } : {}),
        ...(issuers !== undefined ? { expectedIssuers: shown(issuers.values) } : {}),
        ...(principal.tokenFp !== undefined ? { tokenFp: keyPart(principal.tokenFp, 32) } : {}),
        rejected: wasRejected,
      },
    });
  },
});
