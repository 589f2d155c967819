import * as z from 'zod';
import { EVENT_KINDS } from '../../events/schema.js';
import type { StateRecord } from '../../state/state-record.js';
import type { StateView } from '../../state/view.js';
import { defineDetector, type DetectorContext } from '../detector.js';
import { keyPart } from '../../state/key-part.js';

const ID = 'RES-TELEMETRY-GAP';
/** One record for all servers: the scheduled tick must be able to list them. */
const REGISTRY_KEY = `${ID}|*|registry|servers`;
const MINUTE_MS = 60_000;
/** Servers silent this long are forgotten (and alerted at most once before that). */
const RETENTION_MS = 7 * 24 * 3600_000;
const SERVER_NAME_MAX = 64;

/**
 * Per server: [last seen (ms), events in the minute of last seen, EWMA events/min over the minutes
 * before it, minutes folded into the EWMA, 1 when the current silence was already alerted by tick].
 */
type Entry = [number, number, number, number, number];

function asEntry(value: unknown): Entry | undefined {
  if (!Array.isArray(value) || value.length !== 5) return undefined;
  for (const n of value) if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  return value as Entry;
}

const settings = z.object({
  gapMinutes: z
    .number()
    .int()
    .min(2)
    .max(1440)
    .default(15)
    .describe('Silence longer than this many minutes is a gap.'),
  minRatePerMinute: z
    .number()
    .nonnegative()
    .default(1)
    .describe('Only servers whose baseline is above this many events per minute are watched.'),
  baselineWarmupMinutes: z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Minutes of history (since the server was first seen) before gaps are judged.'),
  baselineAlpha: z
    .number()
    .gt(0)
    .max(1)
    .default(0.02)
    .describe('EWMA weight of one minute in the events-per-minute baseline (0.02 ≈ a 35-minute half-life).'),
  maxServers: z
    .number()
    .int()
    .min(1)
    .max(150)
    .default(100)
    .describe('Servers tracked (the registry is one state item); past it the longest-silent is forgotten.'),
});
type GapSettings = z.output<typeof settings>;

/** The rate baseline including the (complete) minute of last seen: [events/min, minutes folded]. */
function rateThroughLastMinute(entry: Entry, alpha: number): [number, number] {
  const [, count, rate, folded] = entry;
  return [folded === 0 ? count : rate + alpha * (count - rate), folded + 1];
}

function registry(state: StateView, s: GapSettings): StateRecord {
  return state.record(REGISTRY_KEY, { ttlMs: RETENTION_MS, maxFields: s.maxServers });
}

/** Makes room for a new server by forgetting the one silent longest. */
function evictOldest(reg: StateRecord, t: number): void {
  let oldestField: string | undefined;
  let oldest = Infinity;
  for (const field of reg.fields()) {
    const seen = asEntry(reg.get(field))?.[0] ?? -Infinity;
    if (seen < oldest) [oldest, oldestField] = [seen, field];
  }
  if (oldestField !== undefined) reg.delete(oldestField, t);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function reportGap(
  ctx: DetectorContext<GapSettings>,
  server: string,
  ts: number,
  silentMs: number,
  rate: number,
  ended: boolean,
): void {
  const minutes = Math.floor(silentMs / MINUTE_MS);
  ctx.report({
    server,
    severity: 'medium',
    title: ended
      ? `Telemetry gap of ${minutes} min ended for ${server} (usually ${round(rate)} events/min)`
      : `No events from ${server} for ${minutes} min (usually ${round(rate)} events/min)`,
    subject: 'telemetry-gap',
    ts,
    evidence: {
      silentMinutes: minutes,
      gapMinutes: ctx.settings.gapMinutes,
      baselineEventsPerMinute: round(rate),
      minRatePerMinute: ctx.settings.minRatePerMinute,
      ongoing: !ended,
    },
  });
}

export const resTelemetryGap = defineDetector({
  meta: {
    id: ID,
    category: 'resource',
    title: 'Telemetry gap',
    severity: 'medium',
    detects:
      'A server that normally logs more than 1 event per minute goes silent for more than 15 minutes: reported by the scheduled check while the silence lasts, and when the next event arrives ("gap ended").',
    why: 'Attackers stop or redirect logging to hide what they do (log tampering, a changed log group, a disabled subscription); outages and crashed instances look the same. Either way the monitoring is blind for that server.',
    tuning:
      'Raise `gapMinutes` for servers with quiet periods (nights, batch jobs) or `minRatePerMinute` so only busy servers count; the rate baseline is an EWMA of events per minute (`baselineAlpha`) and needs `baselineWarmupMinutes` of history. Retired servers alert once, then are forgotten after 7 days.',
    runbook:
      'Check that the server is running and that its log group subscription and the ingest function are healthy; if the server runs but its logs stopped, treat it as possible log tampering and review recent changes to its logging configuration.',
    references: [
      { id: 'OWASP-MCP08', title: 'OWASP MCP Top 10: Lack of Audit and Telemetry' },
      {
        id: 'MITRE-T1562.008',
        title: 'MITRE ATT&CK T1562.008 Impair Defenses: Disable or Modify Cloud Logs',
        url: 'https://attack.mitre.org/techniques/T1562/008/',
      },
      {
        id: 'CWE-778',
        title: 'CWE-778 Insufficient Logging',
        url: 'https://cwe.mitre.org/data/definitions/778.html',
      },
    ],
    state: 'baseline (scheduled)',
    ignoresTrustedCallers: true,
  },
  settings,
  events: EVENT_KINDS,
  // Sees every event: one registry field read and written, constant work.
  evaluate(ev, ctx) {
    const name = ev.event.server?.name;
    if (name === undefined) return;
    const server = keyPart(name, SERVER_NAME_MAX);
    const s = ctx.settings;
    const t = ev.ts;
    const reg = registry(ctx.state, s);
    const entry = asEntry(reg.get(server));
    if (entry === undefined) {
      if (!reg.has(server) && reg.size >= s.maxServers) evictOldest(reg, t);
      reg.set(server, [t, 1, 0, 0, 0] satisfies Entry, t);
      return;
    }
    const [lastSeen, count] = entry;
    const minuteNow = Math.floor(t / MINUTE_MS);
    const minuteLast = Math.floor(lastSeen / MINUTE_MS);
    if (minuteNow <= minuteLast) {
      // Same minute, or a late event: it only adds to the current minute's count.
      entry[0] = Math.max(lastSeen, t);
      entry[1] = count + 1;
      reg.set(server, entry, t);
      return;
    }
    const [rate, folded] = rateThroughLastMinute(entry, s.baselineAlpha);
    const silentMs = t - lastSeen;
    if (
      silentMs > s.gapMinutes * MINUTE_MS &&
      folded >= s.baselineWarmupMinutes &&
      rate > s.minRatePerMinute
    ) {
      reportGap(ctx, name, t, silentMs, rate, true);
    }
    // Minutes with no events are zeros in the baseline (closed form of folding each one).
    const idle = minuteNow - minuteLast - 1;
    const decayed = rate * Math.pow(1 - s.baselineAlpha, Math.min(idle, 100_000));
    reg.set(server, [t, 1, Math.round(decayed * 1000) / 1000, folded + idle, 0] satisfies Entry, t);
  },
  tick(now, ctx) {
    const s = ctx.settings;
    const reg = registry(ctx.state, s);
    for (const server of reg.fields()) {
      const entry = asEntry(reg.get(server));
      if (entry === undefined || now - entry[0] > RETENTION_MS) {
        reg.delete(server, now);
        continue;
      }
      const [lastSeen, , , , alerted] = entry;
      const silentMs = now - lastSeen;
      if (alerted === 1 || silentMs <= s.gapMinutes * MINUTE_MS) continue;
      const [rate, folded] = rateThroughLastMinute(entry, s.baselineAlpha);
      if (folded < s.baselineWarmupMinutes || rate <= s.minRatePerMinute) continue;
      reportGap(ctx, server, now, silentMs, rate, false);
      entry[4] = 1;
      reg.set(server, entry, now);
    }
  },
});
