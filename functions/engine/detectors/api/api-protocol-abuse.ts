import * as z from 'zod';
import { clientIp, findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { keyPart } from '../../state/key-part.js';
import { defineDetector } from '../detector.js';
import { CountThreshold, DistinctThreshold } from '../threshold.js';

const ID = 'API-PROTOCOL-ABUSE';

/** Parse error, invalid request, method not found, invalid params. */
const PROTOCOL_ERRORS = new Set([-32700, -32600, -32601, -32602]);
// How servers word an unknown tool: TS SDK "Tool x not found", Python SDK "Unknown tool: x", others.
const UNKNOWN_TOOL =
  /\bunknown tool\b|\btool\b[^\n]{0,80}\bnot found\b|\bno such tool\b|\binvalid tool name\b|\btool not (?:found|registered|available)\b/i;
const TOOL_IN_MESSAGE = /(?:unknown tool:?|no such tool:?|tool)\s{0,3}["'`]?([\w.:/-]{1,64})/i;
const UNKNOWN_TOOL_RESULT = /^(?:MCP error -3260[12]:\s{0,3})?(?:unknown tool\b|tool \S{1,80} not found)/i;
// Client-to-server requests travel as HTTP POST on Streamable HTTP (and on the legacy SSE transport).
const CLIENT_METHOD = /^(?:initialize$|tools\/|resources\/|prompts\/|completion\/|logging\/)/;

/** `http.headers` (an optional, producer-specific field) as a lowercase-keyed map of strings. */
function headersOf(e: McpEvent): Map<string, string> | undefined {
  const raw = (e.http as Record<string, unknown> | undefined)?.headers;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out = new Map<string, string>();
  let n = 0;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (++n > 64) break;
    if (typeof v === 'string') out.set(k.toLowerCase(), v);
    else if (Array.isArray(v) && typeof v[0] === 'string') out.set(k.toLowerCase(), v[0]);
  }
  return out;
}

interface Mismatch {
  readonly field: string;
  readonly header?: string;
  readonly body?: string;
}

/** What the HTTP request says versus what the JSON-RPC body says. */
function mismatches(e: McpEvent, compareSession: boolean): Mismatch[] {
  const out: Mismatch[] = [];
  const method = e.rpc?.method;
  const httpMethod = e.http?.method;
  if (
    httpMethod !== undefined &&
    method !== undefined &&
    e.transport !== 'stdio' &&
    CLIENT_METHOD.test(method) &&
    httpMethod.toUpperCase() !== 'POST'
  ) {
    out.push({ field: 'http-method', header: httpMethod.slice(0, 16), body: method });
  }
  const headers = headersOf(e);
  if (!headers) return out;
  // SEP-2243 (2026-07-28): Mcp-Method mirrors the JSON-RPC method, Mcp-Name the tool/prompt name or resource URI.
  const mcpMethod = headers.get('mcp-method');
  if (mcpMethod !== undefined && method !== undefined && mcpMethod !== method)
    out.push({ field: 'mcp-method', header: mcpMethod.slice(0, 64), body: method });
  const mcpName = headers.get('mcp-name');
  const bodyName =
    method === 'resources/read'
      ? e.uri
      : method === 'tools/call' || method === 'prompts/get'
        ? e.tool
        : undefined;
  if (mcpName !== undefined && bodyName !== undefined && mcpName !== bodyName)
    out.push({ field: 'mcp-name', header: mcpName.slice(0, 64), body: bodyName.slice(0, 64) });
  const version = headers.get('mcp-protocol-version');
  if (version !== undefined && e.protocolVersion !== undefined && version !== e.protocolVersion) {
    out.push({ field: 'mcp-protocol-version', header: version.slice(0, 32), body: e.protocolVersion });
  }
  const sessionHeader = headers.get('mcp-session-id');
  if (
    compareSession &&
    sessionHeader !== undefined &&
    e.session !== undefined &&
    sessionHeader !== e.session
  ) {
    out.push({ field: 'mcp-session-id', header: keyPart(sessionHeader), body: keyPart(e.session) });
  }
  return out;
}

function unknownToolName(e: McpEvent): string | undefined {
  const code = e.error?.code;
  const message = e.error?.message ?? '';
  if ((code === -32601 || code === -32602) && UNKNOWN_TOOL.test(message)) {
    return e.tool ?? TOOL_IN_MESSAGE.exec(message)?.[1] ?? 'unknown';
  }
  // Newer SDKs answer an unknown tool with an isError result instead of a JSON-RPC error.
  const text = e.result?.isError === true ? e.result.text : undefined;
  if (text !== undefined && UNKNOWN_TOOL_RESULT.test(text.slice(0, 200)))
    return e.tool ?? TOOL_IN_MESSAGE.exec(text.slice(0, 200))?.[1] ?? 'unknown';
  return undefined;
}

export const apiProtocolAbuse = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'JSON-RPC protocol abuse',
    severity: 'medium',
    detects:
      'Bursts of JSON-RPC protocol errors (-32700 parse error, -32600 invalid request, -32601 method not found, -32602 invalid params) per client IP (or session), probing for many distinct unknown tools, and requests whose HTTP layer disagrees with their JSON-RPC body (non-POST client requests; Mcp-Method / Mcp-Name / MCP-Protocol-Version / Mcp-Session-Id headers that differ from the body).',
    why: 'Fuzzers and scanners enumerate an MCP endpoint by sending malformed messages and guessing tool names; a header that says one method while the body carries another is how requests slip past gateways and WAFs that route or filter on headers.',
    tuning:
      'Raise `errorThreshold` for clients with known-bad schema handling; `unknownToolThreshold` counts distinct names, so a client retrying one stale tool name does not fire. Header checks need the producer to log request headers under `http.headers`; without them only the HTTP-method check applies. JSON-RPC batches and duplicate request ids are not visible in the canonical event.',
    runbook:
      'Identify the client IP and user agent; a scanner that is not yours gets blocked at the gateway; for header mismatches, check which component (gateway, proxy) routed the request by its header.',
    references: [
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'SEP-2243',
        title: 'MCP SEP-2243: HTTP header standardization (Mcp-Method, Mcp-Name)',
        url: 'https://modelcontextprotocol.io/seps/2243-http-standardization',
      },
      { id: 'OWASP-MCP07', title: 'OWASP MCP Top 10: Insufficient Authentication & Authorization' },
      {
        id: 'CWE-444',
        title: 'Inconsistent Interpretation of HTTP Requests',
        url: 'https://cwe.mitre.org/data/definitions/444.html',
      },
      {
        id: 'MITRE-T1595',
        title: 'MITRE ATT&CK T1595 Active Scanning',
        url: 'https://attack.mitre.org/techniques/T1595/',
      },
    ],
    state: 'window',
  },
  settings: z.object({
    errorThreshold: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Protocol errors per client IP (or session) in the window that raise an alert.'),
    unknownToolThreshold: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('Distinct unknown tool names per client IP (or session) in the window that raise an alert.'),
    windowSeconds: z.number().int().min(10).default(300).describe('Sliding window length.'),
    checkHeaders: z
      .boolean()
      .default(true)
      .describe('Compare HTTP method and MCP headers (http.headers) with the JSON-RPC body.'),
    compareSessionHeader: z
      .boolean()
      .default(true)
      .describe(
        'Also compare the Mcp-Session-Id header with `session` (turn off if your producer fills `session` with another correlation key).',
      ),
  }),
  events: ['mcp.call', 'mcp.notification'],
  prepare(s) {
    const windowMs = s.windowSeconds * 1000;
    // Both report the crossing: later errors or names of the same probe are the same incident.
    return {
      errors: new CountThreshold({ threshold: s.errorThreshold, windowMs, report: 'crossing' }),
      unknownTools: new DistinctThreshold({ threshold: s.unknownToolThreshold, windowMs, cap: 64, report: 'crossing' }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const s = ctx.settings;
    const server = keyPart(e.server?.name ?? 'unknown');
    const ip = clientIp(e);
    const source: [string, string] | undefined =
      ip !== undefined ? ['ip', ip] : e.session !== undefined ? ['session', e.session] : undefined;
    const sourceSubject = source ? `${source[0]}=${source[1]}` : 'source=unknown';

    if (s.checkHeaders) {
      for (const m of mismatches(e, s.compareSessionHeader)) {
        ctx.report({
          ...findingContext(e),
          severity: 'medium',
          title: `HTTP/JSON-RPC mismatch on ${m.field}: header says ${m.header ?? '?'}, body says ${m.body ?? '?'}`,
          subject: `${sourceSubject} kind=mismatch field=${m.field}`,
          ts: ev.ts,
          evidence: { field: m.field, http: m.header, body: m.body, transport: e.transport },
        });
      }
    }
    if (e.event !== 'mcp.call' || source === undefined) return;
    const sourceKey = `${source[0]}|${keyPart(source[1])}`;

    const code = e.error?.code;
    if (code !== undefined && PROTOCOL_ERRORS.has(code)) {
      const errors = ctx.prepared.errors.count(ctx.state, `${ID}|${server}|errors|${sourceKey}`, ev.ts);
      if (errors >= 0) {
        ctx.report({
          ...findingContext(e),
          severity: 'medium',
          title: `${errors} JSON-RPC protocol errors in ${s.windowSeconds}s from ${source[0]} ${source[1]}`,
          subject: `${sourceSubject} kind=errors`,
          ts: ev.ts,
          evidence: {
            errors,
            threshold: s.errorThreshold,
            windowSeconds: s.windowSeconds,
            lastCode: code,
            lastMethod: e.rpc?.method,
          },
        });
      }
    }

    const unknown = unknownToolName(e);
    if (unknown === undefined) return;
    const namesKey = `${ID}|${server}|unknown-tools|${sourceKey}`;
    const distinct = ctx.prepared.unknownTools.add(ctx.state, namesKey, unknown.slice(0, 64), ev.ts);
    if (distinct < 0) return;
    ctx.report({
      ...findingContext(e),
      severity: 'medium',
      title: `${distinct} distinct unknown tools called in ${s.windowSeconds}s from ${source[0]} ${source[1]}`,
      subject: `${sourceSubject} kind=unknown-tools`,
      ts: ev.ts,
      evidence: {
        distinctUnknownTools: distinct,
        threshold: s.unknownToolThreshold,
        windowSeconds: s.windowSeconds,
        tools: ctx.prepared.unknownTools.members(ctx.state, namesKey, ev.ts).slice(0, 10),
      },
    });
  },
});
