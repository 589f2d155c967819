import * as z from 'zod';
import { KeyCache } from '../../state/key-cache.js';
import { defineDetector } from '../detector.js';
import { passGate } from './report-gate.js';

const ID = 'RES-ERROR-RATE';
// Per server: the same key strings for every call (see KeyCache).
const callKeys = new KeyCache((server) => `${ID}|${server}|calls|all`);
const errorKeys = new KeyCache((server) => `${ID}|${server}|calls|error`);
const gateKeys = new KeyCache((server) => `${ID}|${server}|gate|tools/call`);

export const resErrorRate = defineDetector({
  meta: {
    id: ID,
    category: 'resource',
    title: 'Tool error rate',
    severity: 'medium',
    detects:
      'The share of tools/call calls of a server that fail (a JSON-RPC error or a result with isError) over a sliding window: above 5 % → medium, above 10 % → high, once the window holds at least 20 calls.',
    why: 'A rising error ratio is the first sign of a broken deployment or dependency, and of attacks that probe tools with malformed or hostile arguments (fuzzing, injection attempts, enumeration of unknown tools).',
    tuning:
      'Raise `mediumPct`/`highPct` for servers whose tools fail by design (validators, searches that report "not found" as errors); `minCalls` keeps low-traffic servers from alerting on one failure. The ratio is judged at every failure and once per minute-long bucket (the window spans 5–6 buckets).',
    runbook:
      "Group the window's failed calls by tool and error message; roll back a recent deploy, or trace the failures to the caller sending bad arguments.",
    references: [
      {
        id: 'MCP-SEC-MONITORING',
        title: 'ModelContextProtocol-Security runtime monitoring: error rate 5 % / 10 %',
      },
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      {
        id: 'MITRE-T1499',
        title: 'MITRE ATT&CK T1499 Endpoint Denial of Service',
        url: 'https://attack.mitre.org/techniques/T1499/',
      },
    ],
    state: 'window',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    windowSeconds: z
      .number()
      .int()
      .min(60)
      .max(3600)
      .default(300)
      .describe('Sliding window over which the error ratio is computed.'),
    minCalls: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Calls the window needs before the ratio is judged.'),
    mediumPct: z.number().min(0).max(100).default(5).describe('Error ratio (percent) above which → medium.'),
    highPct: z.number().min(0).max(100).default(10).describe('Error ratio (percent) above which → high.'),
  }),
  events: ['mcp.call'],
  prepare(s) {
    const windowMs = s.windowSeconds * 1000;
    // Five buckets per window (1 min by default): fewer buckets keep the per-call work small.
    return { windowMs, counterOptions: { windowMs, bucketMs: Math.max(1000, Math.floor(windowMs / 5)) } };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    if (e.rpc?.method !== 'tools/call') return;
    const s = ctx.settings;
    const server = e.server?.name ?? 'unknown';
    const t = ev.ts;
    const { windowMs, counterOptions } = ctx.prepared;
    const failed = e.error !== undefined || e.result?.isError === true;
    const calls = ctx.state.counter(callKeys.key(server), counterOptions);
    calls.add(t);
    // The ratio is judged on every failure, and on the first call of each bucket (as successes
    // accumulate or failures age out) — not on every call: counter totals are the costly part.
    if (!failed && calls.bucketCount(t) !== 1) return;
    const errorKey = errorKeys.key(server);
    const gateKey = gateKeys.key(server);
    // A server with no recent failure has no error counter item (it expires with its window): the
    // ratio is 0 and the common healthy case costs one counter update and two lookups.
    if (!failed && !ctx.state.exists(errorKey)) {
      if (ctx.state.exists(gateKey))
        passGate(ctx.state.record(gateKey, { ttlMs: 24 * 3600_000, maxFields: 4 }), 'g', 0, t, windowMs);
      return;
    }
    const errorCounter = ctx.state.counter(errorKey, counterOptions);
    if (failed) errorCounter.add(t);
    const total = calls.total(t);
    if (total < s.minCalls) return;
    const errors = errorCounter.total(t);
    const pct = (errors / total) * 100;
    const level = pct > s.highPct ? 2 : pct > s.mediumPct ? 1 : 0;
    // The gate record is only created once the ratio is over a limit: healthy servers cost no item.
    if (level === 0 && !ctx.state.exists(gateKey)) return;
    const gate = ctx.state.record(gateKey, { ttlMs: 24 * 3600_000, maxFields: 4 });
    if (!passGate(gate, 'g', level, t, windowMs)) return;
    const limit = level === 2 ? s.highPct : s.mediumPct;
    const ratio = Math.round(pct * 10) / 10;
    ctx.report({
      // About the server, not the caller of the call that tipped the ratio.
      ...(e.server?.name !== undefined ? { server: e.server.name } : {}),
      severity: level === 2 ? 'high' : 'medium',
      title: `${ratio}% of tool calls to ${server} failed in ${s.windowSeconds}s (${errors} of ${total}, limit ${limit}%)`,
      subject: 'tools/call',
      ts: t,
      evidence: {
        errors,
        calls: total,
        errorPct: ratio,
        limitPct: limit,
        windowSeconds: s.windowSeconds,
        ...(e.error?.code !== undefined ? { lastErrorCode: e.error.code } : {}),
        ...(e.error?.message !== undefined ? { lastError: e.error.message.slice(0, 120) } : {}),
      },
    });
  },
});
