import * as z from 'zod';
import { actorKey, findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import { defineDetector } from '../detector.js';
import { CountThreshold } from '../threshold.js';
import { keyPart } from '../../state/key-part.js';

/**
 * What counts as one round trip that asks the user (or the user's model) for something:
 * - `elicitation/create` and `sampling/createMessage`: server→client requests (2025-11-25), logged
 *   as mcp.call events;
 * - an input-required result (2026-07-28 multi round-trip requests, SEP-2322): a call answered with
 *   `result.resultType: "input_required"`. Each elicitation/sampling entry of `result.inputRequests`
 *   counts (an attacker can pack many into one result); a result whose entries carry no method
 *   counts once; one that asks only for `roots/list` counts zero (no user involved).
 * Not counted: `notifications/elicitation/complete` (the tail of a URL-mode elicitation already
 * counted by its elicitation/create), tasks in `input_required` status (a client polls tasks/get
 * while it waits, so polls would overcount; the elicitation itself is counted), `roots/list`.
 */
const ASKING_METHODS = new Set(['elicitation/create', 'sampling/createMessage']);
const INPUT_REQUIRED = 'input_required';
/** Most round trips one input-required result adds. */
const MAX_PER_RESULT = 20;

function inputRequestsCount(result: Readonly<Record<string, unknown>>): number {
  const requests = result['inputRequests'];
  if (requests === null || typeof requests !== 'object') return 1;
  let asking = 0;
  let withMethod = 0;
  let seen = 0;
  for (const request of Object.values(requests as Record<string, unknown>)) {
    if (++seen > 256) break;
    const method = request !== null && typeof request === 'object' ? (request as Record<string, unknown>)['method'] : undefined;
    if (typeof method !== 'string') continue;
    withMethod++;
    if (ASKING_METHODS.has(method)) asking++;
  }
  if (withMethod === 0) return 1;
  return Math.min(asking, MAX_PER_RESULT);
}

/** Round trips this event stands for, and what kind. */
function roundTrips(e: McpEvent): { n: number; kind: string } {
  const method = e.rpc?.method;
  if (method !== undefined && ASKING_METHODS.has(method)) return { n: 1, kind: method };
  const result = e.result as Readonly<Record<string, unknown>> | undefined;
  if (result !== undefined && result['resultType'] === INPUT_REQUIRED) return { n: inputRequestsCount(result), kind: INPUT_REQUIRED };
  return { n: 0, kind: '' };
}

/** Per session; without one (stdio logs), per caller. */
function floodScope(e: McpEvent): string | undefined {
  if (e.session !== undefined) return `session=${keyPart(e.session)}`;
  const actor = actorKey(e);
  return actor !== undefined ? keyPart(actor) : undefined;
}

export const agtElicitationFlood = defineDetector({
  meta: {
    id: 'AGT-ELICITATION-FLOOD',
    category: 'agent',
    title: 'Elicitation flood (consent fatigue)',
    severity: 'medium',
    detects:
      'Many elicitation, sampling or input-required round trips in one session: elicitation/create and sampling/createMessage requests, and input-required results (multi round-trip requests) that ask for elicitation or sampling.',
    why:
      'A server that keeps asking the user to confirm, fill in forms or approve sampling wears them down until they approve without reading (consent fatigue), and each prompt is a chance to phish for data or smuggle instructions into the model.',
    tuning:
      'Raise `threshold` for servers whose workflows are interactive by design (wizards, step-by-step forms). Counts are per session; events without a session fall back to the caller (principal, token or IP).',
    runbook: 'Open the session\'s elicitation/sampling requests: check what they asked for and which tool triggered them; block the server if the prompts are not part of a workflow the user started.',
    references: [
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      { id: 'MCP-SPEC-ELICITATION', title: 'MCP specification: Elicitation (user interaction model, security considerations)', url: 'https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation' },
      { id: 'OWASP-MCP06', title: 'OWASP MCP Top 10: Prompt Injection via Contextual Payloads' },
      { id: 'MITRE-T1621', title: 'MITRE ATT&CK T1621 Multi-Factor Authentication Request Generation (prompt bombing)', url: 'https://attack.mitre.org/techniques/T1621/' },
    ],
    state: 'window',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    threshold: z.number().int().min(1).default(10).describe('Round trips in the window that raise an alert.'),
    windowSeconds: z.number().int().min(60).default(3600).describe('Sliding window length.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    return { trips: new CountThreshold({ threshold: s.threshold, windowMs: s.windowSeconds * 1000, bucketMs: 60_000, report: 'every' }) };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const { n, kind } = roundTrips(e);
    if (n === 0) return;
    const scope = floodScope(e);
    if (scope === undefined) return;
    const server = keyPart(e.server?.name ?? 'unknown');
    const total = ctx.prepared.trips.count(ctx.state, `AGT-ELICITATION-FLOOD|${server}|trips|${scope}`, ev.ts, n);
    if (total < 0) return;
    ctx.report({
      ...findingContext(e),
      severity: 'medium',
      title: `${total} elicitation/sampling round trips in ${ctx.settings.windowSeconds}s in ${scope}`,
      subject: scope,
      ts: ev.ts,
      evidence: { roundTrips: total, threshold: ctx.settings.threshold, windowSeconds: ctx.settings.windowSeconds, lastKind: kind },
    });
  },
});
