import * as z from 'zod';
import { findingContext } from '../../events/accessors.js';
import type { McpEvent } from '../../events/schema.js';
import type { StateRecord } from '../../state/state-record.js';
import { defineDetector } from '../detector.js';
import { passGate } from './report-gate.js';
import { keyPart } from '../../state/key-part.js';

const ID = 'RES-SATURATION';
/** While saturation lasts, a finding at most this often (the alert stage folds repeats). */
const REPEAT_MS = 15 * 60_000;

type Metric = 'cpu' | 'memory' | 'disk';
const METRICS: readonly Metric[] = ['cpu', 'memory', 'disk'];

/** One stored sample: [event time, percent]. */
type Sample = [number, number];

function percentOf(usage: NonNullable<McpEvent['usage']>, metric: Metric): number | undefined {
  switch (metric) {
    case 'cpu':
      return usage.cpuPct;
    case 'disk':
      return usage.diskPct;
    case 'memory': {
      const used = usage.memUsedMb;
      const limit = usage.memLimitMb;
      return used !== undefined && limit !== undefined && limit > 0 ? (used / limit) * 100 : undefined;
    }
  }
}

function storedSamples(record: StateRecord, metric: Metric): Sample[] {
  const value = record.get(metric);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (s): s is Sample =>
      Array.isArray(s) && s.length === 2 && typeof s[0] === 'number' && typeof s[1] === 'number',
  );
}

/** Inserts in time order (late events land in place) and keeps the newest `keep` samples. */
function withSample(samples: Sample[], sample: Sample, keep: number, oldestTs: number): Sample[] {
  const out = samples.filter((s) => s[0] >= oldestTs);
  let at = out.length;
  while (at > 0 && (out[at - 1] as Sample)[0] > sample[0]) at--;
  out.splice(at, 0, sample);
  return out.length > keep ? out.slice(out.length - keep) : out;
}

export const resSaturation = defineDetector({
  meta: {
    id: ID,
    category: 'resource',
    title: 'Resource saturation',
    severity: 'medium',
    detects:
      'CPU, memory or disk of an MCP server instance above its limits in at least 3 of the last 5 usage samples (mcp.usage events, including Lambda REPORT lines normalized to memory used / memory size).',
    why: 'A saturated server is about to fail or throttle, and abuse often shows here first: resource-exhaustion requests, runaway agent loops, crypto-mining or bulk exfiltration through a compromised tool. Memory at the Lambda limit ends in out-of-memory crashes.',
    tuning:
      'Adjust the per-metric medium/high percentages; `samplesAbove` of `samples` sets how sustained the load must be (a single spike never fires). Samples older than `maxSampleAgeMinutes` are forgotten, so an old spike does not combine with a new one.',
    runbook:
      "Open the instance's metrics for the metric named in the alert, find the calls or sessions driving the load, and scale or restart the instance if it is legitimate traffic.",
    references: [
      {
        id: 'MCP-SEC-MONITORING',
        title: 'ModelContextProtocol-Security runtime monitoring: CPU 80/95 %, memory 85/95 %, disk 80/90 %',
      },
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      {
        id: 'CWE-400',
        title: 'CWE-400 Uncontrolled Resource Consumption',
        url: 'https://cwe.mitre.org/data/definitions/400.html',
      },
      {
        id: 'MITRE-T1496',
        title: 'MITRE ATT&CK T1496 Resource Hijacking',
        url: 'https://attack.mitre.org/techniques/T1496/',
      },
    ],
    state: 'window',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    cpuMediumPct: z
      .number()
      .min(1)
      .max(100)
      .default(80)
      .describe('CPU percent above which a sample counts for medium.'),
    cpuHighPct: z
      .number()
      .min(1)
      .max(100)
      .default(95)
      .describe('CPU percent above which a sample counts for high.'),
    memoryMediumPct: z
      .number()
      .min(1)
      .max(100)
      .default(85)
      .describe('Memory used / limit percent above which a sample counts for medium.'),
    memoryHighPct: z
      .number()
      .min(1)
      .max(100)
      .default(95)
      .describe('Memory used / limit percent above which a sample counts for high.'),
    diskMediumPct: z
      .number()
      .min(1)
      .max(100)
      .default(80)
      .describe('Disk percent above which a sample counts for medium.'),
    diskHighPct: z
      .number()
      .min(1)
      .max(100)
      .default(90)
      .describe('Disk percent above which a sample counts for high.'),
    samples: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(5)
      .describe('Most recent samples kept per instance and metric.'),
    samplesAbove: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .describe('Samples (of the kept ones) that must be above a level to alert at it.'),
    maxSampleAgeMinutes: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Samples older than this (relative to the newest) are forgotten.'),
  }),
  events: ['mcp.usage'],
  evaluate(ev, ctx) {
    const e = ev.event;
    const usage = e.usage;
    if (usage === undefined) return;
    const s = ctx.settings;
    const server = e.server?.name ?? 'unknown';
    const instance = keyPart(e.server?.instance ?? ev.origin.logStream ?? 'default');
    const t = ev.ts;
    const maxAgeMs = s.maxSampleAgeMinutes * 60_000;
    const levels: Record<Metric, [number, number]> = {
      cpu: [s.cpuMediumPct, s.cpuHighPct],
      memory: [s.memoryMediumPct, s.memoryHighPct],
      disk: [s.diskMediumPct, s.diskHighPct],
    };
    let record: StateRecord | undefined;
    for (const metric of METRICS) {
      const pct = percentOf(usage, metric);
      if (pct === undefined || !Number.isFinite(pct) || pct < 0) continue;
      record ??= ctx.state.record(`${ID}|${server}|usage|${instance}`, { ttlMs: maxAgeMs, maxFields: 8 });
      const samples = withSample(
        storedSamples(record, metric),
        [t, Math.round(pct * 10) / 10],
        s.samples,
        t - maxAgeMs,
      );
      record.set(metric, samples, t);
      const [medium, high] = levels[metric];
      let aboveMedium = 0;
      let aboveHigh = 0;
      for (const [, v] of samples) {
        if (v > medium) aboveMedium++;
        if (v > high) aboveHigh++;
      }
      const level = aboveHigh >= s.samplesAbove ? 2 : aboveMedium >= s.samplesAbove ? 1 : 0;
      if (!passGate(record, `g:${metric}`, level, t, REPEAT_MS)) continue;
      const limit = level === 2 ? high : medium;
      const above = level === 2 ? aboveHigh : aboveMedium;
      const latest = (samples[samples.length - 1] as Sample)[1];
      ctx.report({
        ...findingContext(e),
        severity: level === 2 ? 'high' : 'medium',
        title: `${metric} at ${latest}% on ${server} instance ${instance}: ${above} of the last ${samples.length} samples above ${limit}%`,
        subject: `instance=${instance} metric=${metric}`,
        ts: t,
        evidence: {
          metric,
          latestPct: latest,
          limitPct: limit,
          samplesAbove: above,
          samples: samples.map(([, v]) => v),
          ...(metric === 'memory' ? { memUsedMb: usage.memUsedMb, memLimitMb: usage.memLimitMb } : {}),
        },
      });
    }
  },
});
