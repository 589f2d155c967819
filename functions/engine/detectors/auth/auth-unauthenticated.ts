import * as z from 'zod';
import { serverExpectation } from '../../config/schema.js';
import { clientIp, findingContext } from '../../events/accessors.js';
import type { McpEvent, Principal } from '../../events/schema.js';
import { defineDetector } from '../detector.js';
import { CountThreshold } from '../threshold.js';
import { keyPart } from '../../state/key-part.js';

const LIST_METHODS = new Set(['tools/list', 'resources/list', 'prompts/list', 'resources/templates/list']);

/**
 * Whether the event positively says no credential was presented (`principal.tokenPresent: false`).
 * Absent token presence is unknown, not "no token": most access-log formats (JSON-RPC captures, API
 * Gateway, agentgateway) carry no auth information at all, and a missing field is no evidence.
 */
function presentedNoToken(p: Principal | undefined): boolean {
  return p?.tokenPresent === false;
}

/** A tools/call the server answered with a result (not a protocol error, not a tool error, not an HTTP error). */
function isSuccessfulToolCall(e: McpEvent): boolean {
  const method = e.rpc?.method;
  if (method !== 'tools/call' && !(method === undefined && e.tool !== undefined)) return false;
  if (e.error !== undefined || e.result?.isError === true) return false;
  const status = e.http?.status;
  return status === undefined || status < 400;
}

export const authUnauthenticated = defineDetector({
  meta: {
    id: 'AUTH-UNAUTHENTICATED',
    category: 'auth',
    title: 'Unauthenticated access and list enumeration',
    severity: 'high',
    detects:
      'A tools/call that succeeded although the event says no token was presented (`principal.tokenPresent: false`) on a server configured as authenticated (`servers.<name>.authRequired: true`); and bursts of list calls (tools/list, resources/list, prompts/list, resources/templates/list) from one IP on any server.',
    why:
      'An MCP server that should demand a bearer token but serves tool calls without one has a broken or bypassed authorization layer (a misrouted path, a debug flag, a proxy that strips the check): anyone who can reach it can use its tools. Only a log that records the missing token is evidence of that; a log format that carries no auth information says nothing either way. Rapid listing of tools, resources and prompts is reconnaissance before an attack.',
    tuning:
      'The unauthenticated-call check is active only for servers with `authRequired: true` (or the "*" entry) and needs the log to say that no token came with the request (`principal.tokenPresent: false`, as the project\'s instrumentation writes): a line without token information (JSON-RPC captures, API Gateway access logs, agentgateway, producers that do not log `tokenPresent`) is unknown and never alerts — log `tokenPresent` to cover those servers. Rejected requests (401/403, `mcp.auth` denials) are the auth layer working and are AUTH-BRUTE-FORCE / AUTH-PRIV-ESC territory. Raise `listThreshold` when many clients share one address (a NAT, an agent platform) — a normal session lists once or a few times; trust such networks with allowLists.cidrs.',
    runbook: 'For an unauthenticated call: confirm the server\'s auth middleware covers the path that served it and block the source until it does. For enumeration: look up the source IP and what it called after listing.',
    references: [
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'MCP-SPEC-AUTH', title: 'MCP Authorization (2025-11-25): access tokens on every request', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization' },
      { id: 'CWE-306', title: 'CWE-306 Missing Authentication for Critical Function', url: 'https://cwe.mitre.org/data/definitions/306.html' },
      { id: 'MITRE-T1595', title: 'MITRE ATT&CK T1595 Active Scanning', url: 'https://attack.mitre.org/techniques/T1595/' },
    ],
    state: 'window',
  },
  settings: z.object({
    listThreshold: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('List calls per IP in the window above which (more than this many) a medium enumeration alert is raised.'),
    listWindowSeconds: z.number().int().min(10).default(300).describe('Sliding window for list calls.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    // "More than listThreshold" list calls.
    return { lists: new CountThreshold({ threshold: s.listThreshold + 1, windowMs: s.listWindowSeconds * 1000, report: 'every' }) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const method = e.rpc?.method;
    const ip = clientIp(e);

    // --- enumeration ------------------------------------------------------------------------------
    if (method !== undefined && LIST_METHODS.has(method)) {
      if (ip === undefined) return;
      const ipPart = keyPart(ip);
      const calls = ctx.prepared.lists.count(ctx.state, `AUTH-UNAUTHENTICATED|${keyPart(e.server?.name ?? 'unknown')}|list|ip=${ipPart}`, ev.ts);
      if (calls < 0) return;
      ctx.report({
        ...findingContext(e),
        severity: 'medium',
        title: `${calls} list calls in ${ctx.settings.listWindowSeconds}s from ${ipPart} (enumeration)`,
        subject: `ip=${ipPart} kind=list-enumeration`,
        ts: ev.ts,
        evidence: { listCalls: calls, threshold: ctx.settings.listThreshold, windowSeconds: ctx.settings.listWindowSeconds, lastMethod: method },
      });
      return;
    }

    // --- unauthenticated tool calls -----------------------------------------------------------
    if (!presentedNoToken(e.principal) || !isSuccessfulToolCall(e)) return;
    if (serverExpectation(ctx.config, e.server?.name).authRequired !== true) return;
    const where = ip !== undefined ? `ip=${keyPart(ip)}` : e.session !== undefined ? `session=${keyPart(e.session)}` : undefined;
    ctx.report({
      ...findingContext(e),
      severity: 'high',
      title: `Tool ${keyPart(e.tool ?? '(unnamed)')} served without a token on ${e.server?.name ?? 'unknown'}${ip !== undefined ? ` to ${keyPart(ip)}` : ''}`,
      subject: where !== undefined ? `${where} kind=unauthenticated-call` : 'kind=unauthenticated-call',
      ts: ev.ts,
      evidence: {
        tokenPresent: false,
        ...(e.http?.status !== undefined ? { status: e.http.status } : {}),
        ...(e.http?.path !== undefined ? { path: keyPart(e.http.path, 128) } : {}),
      },
    });
  },
});
