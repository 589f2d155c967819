import * as z from 'zod';
import { clientIp, findingContext, principalId } from '../../events/accessors.js';
import type { EngineEvent } from '../../events/engine-event.js';
import { keyPart } from '../../state/key-part.js';
import type { CounterOptions } from '../../state/view.js';
import { BoundedKeyCache2 } from '../bounded-key-cache.js';
import { defineDetector, type ContextOf } from '../detector.js';
import { CountThreshold } from '../threshold.js';

const ID = 'API-RATE';
const MINUTE = 60_000;
const BUCKET = 10_000;
// Keeps the current minute and the two before it, so finished minutes can be closed lazily.
const CALL_WINDOW = 3 * MINUTE;
const CALL_COUNTER: CounterOptions = { windowMs: CALL_WINDOW, bucketMs: BUCKET };

type By = 'session' | 'principal' | 'ip';
/** Per raw server name and subject: the same key string for every call (see KeyCache2). */
function keyCache(kind: 'calls' | '429', by: By): BoundedKeyCache2 {
  return new BoundedKeyCache2((server, value) => `${ID}|${keyPart(server)}|${kind}|${by}|${keyPart(value)}`);
}
const callKeys: Record<'session' | 'principal', BoundedKeyCache2> = {
  session: keyCache('calls', 'session'),
  principal: keyCache('calls', 'principal'),
};
const refusalKeys: Record<'principal' | 'ip', BoundedKeyCache2> = {
  principal: keyCache('429', 'principal'),
  ip: keyCache('429', 'ip'),
};

export const apiRate = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'Call rate abuse',
    severity: 'medium',
    detects:
      'A session or principal calling faster than a static ceiling or far above its own EWMA baseline of calls per active minute, and bursts of rate-limit refusals (429) per principal or client IP.',
    why: 'Runaway agents, scraping through MCP tools and credential-stuffing clients show up as call rates no person or normal agent loop produces; repeated 429s mean a client keeps pushing against the limiter instead of backing off.',
    tuning:
      'Raise `ceilingPerMinute` for batch principals that legitimately fan out. The baseline rule needs `minBaselineMinutes` of observed active minutes and at least `minRatePerMinute` calls, so a quiet principal going from 1 to 4 calls a minute never fires. Baselines learn from active minutes only (idle minutes are not zeros), so they describe how fast an entity works when it works.',
    runbook:
      'Identify the principal/session and its client; if it is an agent loop, stop the session; if it is abuse, revoke the token and block the source at the gateway.',
    references: [
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'CWE-770',
        title: 'Allocation of Resources Without Limits or Throttling',
        url: 'https://cwe.mitre.org/data/definitions/770.html',
      },
      {
        id: 'MITRE-T1499',
        title: 'MITRE ATT&CK T1499 Endpoint Denial of Service',
        url: 'https://attack.mitre.org/techniques/T1499/',
      },
    ],
    state: 'window+baseline',
  },
  settings: z.object({
    ceilingPerMinute: z
      .number()
      .int()
      .min(1)
      .default(120)
      .describe('Calls per sliding minute above which a session or principal is reported.'),
    baselineMultiplier: z
      .number()
      .min(1)
      .default(3)
      .describe("Report when the rate exceeds this many times the entity's own EWMA baseline."),
    minBaselineMinutes: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Active minutes observed before the baseline rule applies.'),
    minRatePerMinute: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('The baseline rule needs at least this many calls per minute (absolute floor).'),
    baselineAlpha: z.number().gt(0).max(1).default(0.1).describe('EWMA weight of each newly closed minute.'),
    baselineTtlDays: z
      .number()
      .int()
      .min(1)
      .default(14)
      .describe('A baseline not fed for this long is forgotten.'),
    rateLimitThreshold: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        'Rate-limit refusals (mcp.ratelimit / 429) per principal or IP in the window that raise an alert.',
      ),
    rateLimitWindowSeconds: z
      .number()
      .int()
      .min(10)
      .default(300)
      .describe('Window for counting rate-limit refusals.'),
  }),
  events: ['mcp.call', 'mcp.ratelimit'],
  prepare(s) {
    // Report the crossing; later refusals of the same burst are the same incident.
    return {
      refusals: new CountThreshold({ threshold: s.rateLimitThreshold, windowMs: s.rateLimitWindowSeconds * 1000, report: 'crossing' }),
    };
  },
  evaluate(ev, ctx) {
    const e = ev.event;
    const server = e.server?.name ?? 'unknown';
    if (e.event === 'mcp.ratelimit') {
      const principal = principalId(e);
      if (principal !== undefined) countRefusal(ev, ctx, server, 'principal', principal);
      const ip = clientIp(e);
      if (ip !== undefined) countRefusal(ev, ctx, server, 'ip', ip);
      return;
    }
    if (e.session !== undefined) checkRate(ev, ctx, server, 'session', e.session);
    const principal = principalId(e);
    if (principal !== undefined) checkRate(ev, ctx, server, 'principal', principal);
  },
});

type RateContext = ContextOf<typeof apiRate>;

/** `server` is the raw server name (made a key part with the key). */
function countRefusal(ev: EngineEvent, ctx: RateContext, server: string, by: 'principal' | 'ip', value: string): void {
  const e = ev.event;
  const s = ctx.settings;
  const refusals = ctx.prepared.refusals.count(ctx.state, refusalKeys[by].key(server, value), ev.ts);
  if (refusals < 0) return;
  ctx.report({
    ...findingContext(e),
    severity: 'medium',
    title: `${refusals} rate-limit refusals in ${s.rateLimitWindowSeconds}s for ${by} ${value}`,
    subject: `${by}=${value} kind=rate-limited`,
    ts: ev.ts,
    evidence: {
      refusals,
      threshold: s.rateLimitThreshold,
      windowSeconds: s.rateLimitWindowSeconds,
      status: e.http?.status,
    },
  });
}

/** Whether the baseline rule holds at `rate` calls per minute. */
function aboveBaseline(s: RateContext['settings'], learned: boolean, mean: number, rate: number): boolean {
  return learned && rate >= s.minRatePerMinute && rate > s.baselineMultiplier * mean;
}

/** `server` is the raw server name (made a key part with the key). */
function checkRate(ev: EngineEvent, ctx: RateContext, server: string, by: 'session' | 'principal', value: string): void {
  const e = ev.event;
  const s = ctx.settings;
  const t = ev.ts;
  // The calls and their baseline share one item: one lookup per subject and call.
  const counter = ctx.state.counter(callKeys[by].key(server, value), CALL_COUNTER);
  const baseline = counter.baseline(s.baselineTtlDays * 86_400_000);
  // Close finished minutes lazily, on the first event after them: each active minute feeds the
  // baseline once (lastAt is the start of the last minute fed).
  const minuteStart = Math.floor(t / MINUTE) * MINUTE;
  for (let start = minuteStart - 2 * MINUTE; start < minuteStart; start += MINUTE) {
    if (baseline.count > 0 && start <= baseline.lastAt) continue;
    const calls = counter.between(start, start + MINUTE - 1);
    if (calls > 0) baseline.observe(calls, start, s.baselineAlpha);
  }
  counter.add(t);
  // The sliding minute ending at t: its six 10-second buckets.
  const rate = counter.between(t - (MINUTE - BUCKET), t);
  const mean = baseline.mean;
  const learned = baseline.count >= s.minBaselineMinutes;
  // Only the crossing is reported: the call that takes the rate over the line.
  const ceiling = rate > s.ceilingPerMinute && rate - 1 <= s.ceilingPerMinute;
  const overBaseline =
    aboveBaseline(s, learned, mean, rate) && !aboveBaseline(s, learned, mean, rate - 1) && rate - 1 <= s.ceilingPerMinute;
  if (!ceiling && !overBaseline) return;
  const reasons: string[] = [];
  if (ceiling) reasons.push('ceiling');
  if (overBaseline) reasons.push('baseline');
  ctx.report({
    ...findingContext(e),
    severity: 'medium',
    title: ceiling
      ? `${rate} calls in one minute from ${by} ${value} (ceiling ${s.ceilingPerMinute})`
      : `${rate} calls in one minute from ${by} ${value}, ${(rate / Math.max(mean, 1e-9)).toFixed(1)}× its baseline`,
    subject: `${by}=${value}`,
    ts: t,
    evidence: {
      reasons,
      callsPerMinute: rate,
      ceiling: s.ceilingPerMinute,
      ...(learned
        ? {
            baselinePerMinute: Math.round(mean * 10) / 10,
            baselineMinutes: baseline.count,
            multiplier: s.baselineMultiplier,
          }
        : {}),
    },
  });
}
