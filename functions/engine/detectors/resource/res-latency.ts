import * as z from 'zod';
import type { McpEvent } from '../../events/schema.js';
import type { StateRecord } from '../../state/state-record.js';
import { defineDetector } from '../detector.js';
import {
  addHistogram,
  addSample,
  asHistogram,
  emptyHistogram,
  maxOf,
  quantile,
  sampleCount,
} from './latency-histogram.js';
import { passGate } from './report-gate.js';
import { KeyCache2 } from '../../state/key-cache.js';
import { keyPart } from '../../state/key-part.js';

const ID = 'RES-LATENCY';
const HIST_PREFIX = 'h';
/** Most time buckets per window: bounds the record whatever the settings. */
const MAX_WINDOW_BUCKETS = 60;
const STATE_TTL_MS = 7 * 24 * 3600_000;

// Record fields besides the per-bucket histograms `h<bucket>`.
const LATEST = 'c'; // newest bucket seen: closing runs once per bucket, not per event
const LAST_CLOSED = 'e'; // last bucket folded into the baseline logic
const LAST_SLOW = 'ls'; // time of the newest sample above lowMs
const STREAK = 's'; // [consecutive anomalous buckets, index of the last anomalous bucket]
const BASELINE = 'b'; // [EWMA of bucket quantiles (ms), buckets folded]
const GATE_ABSOLUTE = 'ga';
const GATE_BASELINE = 'gb';

const settings = z.object({
  windowSeconds: z
    .number()
    .int()
    .min(60)
    .max(3600)
    .default(300)
    .describe('Sliding window over which the latency percentile is computed.'),
  bucketSeconds: z
    .number()
    .int()
    .min(10)
    .max(600)
    .default(60)
    .describe(
      'Histogram bucket length; the baseline compares whole buckets (at most 60 buckets per window).',
    ),
  percentile: z
    .number()
    .min(50)
    .max(99.9)
    .default(95)
    .describe('Latency percentile compared with the limits.'),
  minSamples: z
    .number()
    .int()
    .min(1)
    .default(20)
    .describe(
      'Calls needed in the window before the percentile is judged (20: a single slow call is never the p95).',
    ),
  lowMs: z.number().positive().default(1000).describe('Percentile above this many ms → low (warning).'),
  mediumMs: z.number().positive().default(5000).describe('Percentile above this many ms → medium.'),
  baselineFactor: z
    .number()
    .min(1.1)
    .default(3)
    .describe('A bucket is anomalous when its percentile exceeds this multiple of the baseline.'),
  consecutiveBuckets: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(3)
    .describe('Anomalous buckets in a row that raise the baseline alert.'),
  minBucketSamples: z
    .number()
    .int()
    .min(1)
    .default(5)
    .describe('Calls a bucket needs to be compared with the baseline.'),
  baselineWarmupBuckets: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Buckets folded into the baseline before deviations count.'),
  baselineFloorMs: z
    .number()
    .nonnegative()
    .default(200)
    .describe('Deviations below this percentile (ms) are ignored: 10 ms → 40 ms is not an incident.'),
  baselineAlpha: z
    .number()
    .gt(0)
    .max(1)
    .default(0.1)
    .describe('EWMA weight of a new bucket in the baseline.'),
});
type LatencySettings = z.output<typeof settings>;

function isNumberPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number';
}

/** Per server and tool: the same key string for every call (see KeyCache2). */
const recordKeys = new KeyCache2((server, opKey) => `${ID}|${server}|lat|${opKey}`);

// The current bucket's field name, built once per bucket: the same string for every call in it.
let fieldBucket = Number.NaN;
let fieldName = '';
function histogramField(bucket: number): string {
  if (bucket !== fieldBucket) {
    fieldBucket = bucket;
    fieldName = `${HIST_PREFIX}${bucket}`;
  }
  return fieldName;
}

function numberPair(value: unknown): [number, number] | undefined {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number'
    ? [value[0], value[1]]
    : undefined;
}

/**
 * Folds every closed bucket (index < `current`) not yet seen into the streak and the baseline:
 * an anomalous bucket extends the streak and is kept out of the baseline until the streak has
 * alerted (then the baseline learns the new level); a normal bucket resets the streak and is folded.
 */
function closeBuckets(record: StateRecord, current: number, t: number, s: LatencySettings): void {
  const lastClosed =
    typeof record.get(LAST_CLOSED) === 'number' ? (record.get<number>(LAST_CLOSED) as number) : -Infinity;
  const pending: number[] = [];
  for (const field of record.fields()) {
    if (!field.startsWith(HIST_PREFIX)) continue;
    const idx = Number(field.slice(HIST_PREFIX.length));
    if (idx < current && idx > lastClosed) pending.push(idx);
  }
  if (pending.length === 0) return;
  pending.sort((a, b) => a - b);
  let [streak, lastAnomalous] = numberPair(record.get(STREAK)) ?? [0, -1];
  let [mean, folded] = numberPair(record.get(BASELINE)) ?? [0, 0];
  const q = s.percentile / 100;
  for (const idx of pending) {
    const h = asHistogram(record.get(`${HIST_PREFIX}${idx}`));
    if (h === undefined || sampleCount(h) < s.minBucketSamples) {
      // Too few calls to judge: the run of consecutive buckets is broken.
      streak = 0;
      continue;
    }
    const p = quantile(h, q);
    const anomalous =
      folded >= s.baselineWarmupBuckets && p > s.baselineFactor * mean && p > s.baselineFloorMs;
    if (anomalous) {
      streak = lastAnomalous === idx - 1 ? streak + 1 : 1;
      lastAnomalous = idx;
    } else {
      streak = 0;
    }
    if (!anomalous || streak >= s.consecutiveBuckets) {
      mean = folded === 0 ? p : mean + s.baselineAlpha * (p - mean);
      folded += 1;
    }
  }
  record.set(STREAK, [streak, lastAnomalous], t);
  record.set(BASELINE, [Math.round(mean * 10) / 10, folded], t);
  record.set(LAST_CLOSED, pending[pending.length - 1], t);
}

/** Findings are about the server's tool, not about the caller whose call tipped the percentile. */
function serverToolContext(e: McpEvent): { server?: string; tool?: string } {
  return {
    ...(e.server?.name !== undefined ? { server: e.server.name } : {}),
    ...(e.tool !== undefined ? { tool: e.tool } : {}),
  };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export const resLatency = defineDetector({
  meta: {
    id: ID,
    category: 'resource',
    title: 'Tool latency',
    severity: 'medium',
    detects:
      "Per server and tool (or method), the p95 call duration over a sliding window above absolute limits (1 s low, 5 s medium), or above 3× the tool's own baseline p95 for 3 consecutive one-minute buckets.",
    why: 'A tool that suddenly slows down points at an overloaded or degraded server, a dependency outage, or abuse: expensive queries, resource exhaustion attempts, or a server doing work it should not (exfiltration, crypto-mining).',
    tuning:
      'Raise `lowMs`/`mediumMs` for tools that are slow by nature (builds, long searches) or disable the detector for them with a suppression on `tool`; `minSamples` (20) keeps a single slow call from being the p95; `baselineFactor`, `consecutiveBuckets` and `baselineFloorMs` control the deviation alert. Quantiles come from a 20-bin log-scale histogram: exact at the 1 s / 5 s edges, interpolated elsewhere.',
    runbook:
      "Check the server's CPU/memory and its dependencies for the tool named in the alert; compare with recent deploys and look for unusual arguments from one caller.",
    references: [
      {
        id: 'MCP-SEC-MONITORING',
        title: 'ModelContextProtocol-Security runtime monitoring: latency 1 s / 5 s',
      },
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      {
        id: 'CWE-400',
        title: 'CWE-400 Uncontrolled Resource Consumption',
        url: 'https://cwe.mitre.org/data/definitions/400.html',
      },
      {
        id: 'MITRE-T1499',
        title: 'MITRE ATT&CK T1499 Endpoint Denial of Service',
        url: 'https://attack.mitre.org/techniques/T1499/',
      },
    ],
    state: 'window+baseline',
    ignoresTrustedCallers: true,
  },
  settings,
  events: ['mcp.call'],
  evaluate(ev, ctx) {
    const e = ev.event;
    const ms = e.durationMs;
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) return;
    const op = e.tool ?? e.rpc?.method;
    if (op === undefined) return;
    const s = ctx.settings;
    const server = e.server?.name ?? 'unknown';
    const opKey = keyPart(op);
    const windowMs = s.windowSeconds * 1000;
    const bucketMs = Math.max(s.bucketSeconds * 1000, Math.ceil(windowMs / MAX_WINDOW_BUCKETS));
    const t = ev.ts;
    const bucket = Math.floor(t / bucketMs);
    const oldest = Math.floor((t - windowMs) / bucketMs);
    const record = ctx.state.record(recordKeys.key(server, opKey), {
      ttlMs: STATE_TTL_MS,
      maxFields: Math.ceil(windowMs / bucketMs) + 10,
    });

    if (record.get(LATEST) !== bucket) {
      // Once per bucket: fold closed buckets into the baseline, then drop those out of the window.
      // A late call (log streams interleave) usually finds the buckets before its own already
      // closed: then there is nothing to fold.
      const lastClosed = record.get(LAST_CLOSED);
      if (typeof lastClosed !== 'number' || lastClosed < bucket - 1) closeBuckets(record, bucket, t, s);
      for (const f of record.fields()) {
        if (f.startsWith(HIST_PREFIX) && Number(f.slice(HIST_PREFIX.length)) < oldest) record.delete(f, t);
      }
      const latest = record.get(LATEST);
      if (typeof latest !== 'number' || bucket > latest) record.set(LATEST, bucket, t);
    }

    const field = histogramField(bucket);
    const own = asHistogram(record.get(field)) ?? emptyHistogram();
    addSample(own, ms);
    record.set(field, own, t);
    if (ms > s.lowMs) record.set(LAST_SLOW, Math.max(t, Number(record.get(LAST_SLOW)) || 0), t);

    // The window percentile can only be above lowMs while a sample above it is in the window; the
    // healthy common case skips merging the window's histograms.
    const lastSlow = record.get(LAST_SLOW);
    const slowInWindow = typeof lastSlow === 'number' && lastSlow >= t - windowMs - bucketMs;
    const q = s.percentile / 100;
    if (!slowInWindow) {
      if (record.has(GATE_ABSOLUTE)) passGate(record, GATE_ABSOLUTE, 0, t, windowMs);
    } else {
      const window = emptyHistogram();
      for (const f of record.fields()) {
        if (!f.startsWith(HIST_PREFIX)) continue;
        const idx = Number(f.slice(HIST_PREFIX.length));
        if (idx < oldest || idx > bucket) continue;
        const h = asHistogram(record.get(f));
        if (h !== undefined) addHistogram(window, h);
      }
      const samples = sampleCount(window);
      if (samples >= s.minSamples) {
        const p = quantile(window, q);
        const level = p > s.mediumMs ? 2 : p > s.lowMs ? 1 : 0;
        if (passGate(record, GATE_ABSOLUTE, level, t, windowMs)) {
          const limit = level === 2 ? s.mediumMs : s.lowMs;
          ctx.report({
            ...serverToolContext(e),
            severity: level === 2 ? 'medium' : 'low',
            title: `p${s.percentile} latency ${formatMs(p)} over ${s.windowSeconds}s for ${op} (limit ${formatMs(limit)}, ${samples} calls)`,
            subject: `tool=${opKey}`,
            ts: t,
            evidence: {
              percentile: s.percentile,
              latencyMs: Math.round(p),
              limitMs: limit,
              maxMs: Math.round(maxOf(window)),
              samples,
              windowSeconds: s.windowSeconds,
            },
          });
        }
      }
    }

    // Baseline deviation: this bucket is anomalous and the buckets right before it were too.
    const bucketSamples = sampleCount(own);
    if (bucketSamples < s.minBucketSamples) return;
    const baseline = record.get(BASELINE);
    const pair = isNumberPair(baseline);
    const mean = pair ? (baseline[0] as number) : 0;
    const folded = pair ? (baseline[1] as number) : 0;
    // Cheap exit: a bucket whose maximum is under both bars cannot be anomalous.
    if (
      folded < s.baselineWarmupBuckets ||
      maxOf(own) <= Math.max(s.baselineFloorMs, s.baselineFactor * mean)
    ) {
      if (record.has(GATE_BASELINE)) passGate(record, GATE_BASELINE, 0, t, windowMs);
      return;
    }
    const [streak, lastAnomalous] = numberPair(record.get(STREAK)) ?? [0, -1];
    const p = quantile(own, q);
    const anomalous =
      folded >= s.baselineWarmupBuckets && p > s.baselineFactor * mean && p > s.baselineFloorMs;
    const run = anomalous ? (lastAnomalous === bucket - 1 ? streak : 0) + 1 : 0;
    const level = run >= s.consecutiveBuckets ? 1 : 0;
    if (!passGate(record, GATE_BASELINE, level, t, windowMs)) return;
    const factor = p / Math.max(mean, 1);
    ctx.report({
      ...serverToolContext(e),
      severity: 'medium',
      title: `p${s.percentile} latency of ${op} ${formatMs(p)} is ${factor.toFixed(1)}× its baseline ${formatMs(mean)} for ${run} consecutive buckets`,
      subject: `tool=${opKey} baseline`,
      ts: t,
      evidence: {
        percentile: s.percentile,
        latencyMs: Math.round(p),
        baselineMs: Math.round(mean),
        factor: Math.round(factor * 10) / 10,
        threshold: s.baselineFactor,
        consecutiveBuckets: run,
        bucketSeconds: bucketMs / 1000,
        bucketSamples,
      },
    });
  },
});
