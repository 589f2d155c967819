import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import { defineDetector } from '../detector.js';
import { keyPart } from '../../state/key-part.js';
import { allowedOriginsByServer, originRejection } from './origin-rejection.js';

export const authBadOrigin = defineDetector({
  meta: {
    id: 'AUTH-BAD-ORIGIN',
    category: 'auth',
    title: 'Request refused for its Origin or Host (DNS rebinding)',
    severity: 'medium',
    detects:
      'A request the server refused (403) because of its Origin or Host header: `auth.reason` invalid_origin / invalid_host, the MCP SDK\'s "Invalid Origin header" / "Invalid Host header" errors, or an Origin outside the server\'s configured `allowedOrigins`.',
    why:
      'A web page the user visits can make the browser call an MCP server on localhost or the intranet (DNS rebinding). The MCP transport requires servers to validate Origin; a refused foreign Origin means someone tried — the defence worked, but the page and the user\'s machine need a look, and the next server may not validate.',
    tuning:
      'One alert per origin value (dedup). A browser-based client on a new domain shows up here until its origin is added to the server\'s allowed origins (and to `servers.<name>.allowedOrigins` in this config). 403s whose reason names another cause (insufficient_scope) are not origin refusals.',
    runbook: 'Identify the page at the refused origin and the client that carried the request; if it is not one of your apps, treat the client machine as exposed to a malicious site and check other local MCP servers for the same origin.',
    references: [
      { id: 'MCP-SPEC-TRANSPORTS', title: 'MCP Transports (2025-11-25): servers MUST validate the Origin header (DNS rebinding)', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports' },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)', url: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices' },
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      { id: 'CWE-346', title: 'CWE-346 Origin Validation Error', url: 'https://cwe.mitre.org/data/definitions/346.html' },
      { id: 'CWE-350', title: 'CWE-350 Reliance on Reverse DNS Resolution for a Security-Critical Action', url: 'https://cwe.mitre.org/data/definitions/350.html' },
    ],
    state: 'none',
  },
  settings: z.object({}),
  events: ['mcp.auth', 'mcp.call'],
  prepare(_settings, config) {
    return allowedOriginsByServer(config);
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const status = e.http?.status;
    // Cheap exit: only a 403, or an event that says why it was refused, can be a refusal.
    if (status !== undefined && status !== 403) return;
    if (e.auth === undefined && e.error === undefined && status !== 403) return;
    const rejection = originRejection(e, ctx.prepared.of(e.server?.name));
    if (rejection === undefined) return;
    const value = rejection.value !== undefined && rejection.value.length > 0 ? keyPart(rejection.value) : '(unknown)';
    ctx.report({
      ...findingContext(e),
      severity: 'medium',
      title: `Request refused for its ${rejection.kind === 'origin' ? 'Origin' : 'Host'} ${value} on ${e.server?.name ?? 'unknown'} (possible DNS rebinding)`,
      subject: `${rejection.kind}=${value}`,
      ts: ev.ts,
      evidence: {
        header: rejection.kind,
        value,
        recognisedBy: rejection.by,
        ...(e.auth?.reason !== undefined ? { reason: keyPart(e.auth.reason) } : {}),
        ...(status !== undefined ? { status } : {}),
      },
    });
  },
});
