import { z } from 'zod';
import { serverExpectation } from '../../config/schema.js';
import { clientIp, findingContext } from '../../events/accessors.js';
import type { McpEvent, Principal } from '../../events/schema.js';
import { defineDetector } from '../detector.js';
import { keyPart } from '../../state/key-part.js';

const LIST_METHODS = new Set(['tools/list', 'resources/list', 'prompts/list', 'resources/templates/list']);

/**
 * Whether the request carried credentials: `tokenPresent: true`, or — when token presence was not
 * logged — an identity only a verified token yields (sub, clientId, tokenFp). An explicit
 * `tokenPresent: false` wins over anything else.
 */
function authenticated(p: Principal | undefined): boolean {
  if (p === undefined) return false;
  if (p.tokenPresent !== undefined) return p.tokenPresent;
  return p.sub !== undefined || p.clientId !== undefined || p.tokenFp !== undefined;
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
      'A tools/call that succeeded without a token on a server configured as authenticated (`servers.<name>.authRequired: true`); and bursts of list calls (tools/list, resources/list, prompts/list, resources/templates/list) from one IP on any server.',
    why:
      'An MCP server that should demand a bearer token but serves tool calls without one has a broken or bypassed authorization layer (a misrouted path, a debug flag, a proxy that strips the check): anyone who can reach it can use its tools. Rapid listing of tools, resources and prompts is reconnaissance before an attack.',
    tuning:
      'The unauthenticated-call check is active only for servers with `authRequired: true` (or the "*" entry). A request counts as authenticated when `principal.tokenPresent` is true or, when token presence is not logged, when the event names a sub, client id or token fingerprint; log `tokenPresent` for exact results. Raise `listThreshold` when many clients share one address (a NAT, an agent platform) — a normal session lists once or a few times; trust such networks with allowLists.cidrs.',
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
  evaluate(ev, ctx) {
    const e = ev.event;
    const method = e.rpc?.method;
    const ip = clientIp(e);

    // --- enumeration ------------------------------------------------------------------------------
    if (method !== undefined && LIST_METHODS.has(method)) {
      if (ip === undefined) return;
      const ipPart = keyPart(ip);
      const windowMs = ctx.settings.listWindowSeconds * 1000;
      const counter = ctx.state.counter(`AUTH-UNAUTHENTICATED|${keyPart(e.server?.name ?? 'unknown')}|list|ip=${ipPart}`, { windowMs });
      counter.add(ev.ts);
      const calls = counter.total(ev.ts);
      if (calls <= ctx.settings.listThreshold) return;
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
    if (!isSuccessfulToolCall(e) || authenticated(e.principal)) return;
    if (serverExpectation(ctx.config, e.server?.name).authRequired !== true) return;
    const where = ip !== undefined ? `ip=${keyPart(ip)}` : e.session !== undefined ? `session=${keyPart(e.session)}` : undefined;
    ctx.report({
      ...findingContext(e),
      severity: 'high',
      title: `Tool ${keyPart(e.tool ?? '(unnamed)')} served without a token on ${e.server?.name ?? 'unknown'}${ip !== undefined ? ` to ${keyPart(ip)}` : ''}`,
      subject: where !== undefined ? `${where} kind=unauthenticated-call` : 'kind=unauthenticated-call',
      ts: ev.ts,
      evidence: {
        tokenPresent: e.principal?.tokenPresent ?? 'unknown',
        ...(e.http?.status !== undefined ? { status: e.http.status } : {}),
        ...(e.http?.path !== undefined ? { path: keyPart(e.http.path, 128) } : {}),
      },
    });
  },
});
