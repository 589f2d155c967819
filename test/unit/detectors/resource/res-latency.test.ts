import { describe, expect, it } from 'vitest';
import {
  LATENCY_EDGES_MS,
  addSample,
  emptyHistogram,
  quantile,
} from '../../../../functions/engine/detectors/resource/latency-histogram.js';
import { findingsOf, mcpEvent, runEvents, type EventInput } from '../../../helpers/engine-harness.js';

const ID = 'RES-LATENCY';

function call(time: number, durationMs: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.call',
    time,
    server: { name: 'files-mcp' },
    session: 's-1',
    principal: { sub: 'user-42' },
    rpc: { id: time, method: 'tools/call' },
    tool: 'read_file',
    durationMs,
    ...overrides,
  });
}

/** `count` calls 10 s apart from `start`, the first `slow` of them taking `slowMs`, the rest 100 ms. */
function burst(
  start: number,
  count: number,
  slow: number,
  slowMs: number,
  overrides: Partial<EventInput> = {},
) {
  return Array.from({ length: count }, (_, i) => call(start + i * 10, i < slow ? slowMs : 100, overrides));
}

/** Five calls in each minute `[from, to)` taking `ms`. */
function minutes(from: number, to: number, ms: number, tool = 'search_docs') {
  const out = [];
  for (let m = from; m < to; m++) for (let i = 0; i < 5; i++) out.push(call(m * 60 + i * 10, ms, { tool }));
  return out;
}

describe('latency histogram', () => {
  it('decides the 1 s and 5 s limits exactly and interpolates inside a bin', () => {
    expect(LATENCY_EDGES_MS).toHaveLength(20);
    const atLimit = emptyHistogram();
    for (let i = 0; i < 20; i++) addSample(atLimit, i < 2 ? 1000 : 100);
    // Rank 19 is the first of two samples in (800, 1000]: interpolated to 900, never above 1000.
    expect(quantile(atLimit, 0.95)).toBe(900);
    const justOver = emptyHistogram();
    for (let i = 0; i < 20; i++) addSample(justOver, i < 2 ? 1000.01 : 100);
    expect(quantile(justOver, 0.95)).toBeGreaterThan(1000);
    expect(quantile(justOver, 0.95)).toBeCloseTo(1000.05, 5);
    const uniform = emptyHistogram();
    for (let i = 1; i <= 100; i++) addSample(uniform, i * 10);
    // True p95 is 950 ms; the estimate stays inside its bin (800, 1000].
    expect(quantile(uniform, 0.95)).toBeGreaterThan(800);
    expect(quantile(uniform, 0.95)).toBeLessThanOrEqual(1000);
    expect(quantile(emptyHistogram(), 0.95)).toBe(0);
  });
});

describe('RES-LATENCY', () => {
  it('p95 above 1 s over 20 calls → one low finding for the tool', async () => {
    const result = await runEvents(burst(0, 20, 2, 1500), { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'low',
      subject: 'tool=read_file',
      server: 'files-mcp',
      tool: 'read_file',
      evidence: { percentile: 95, limitMs: 1000, samples: 20, maxMs: 1500 },
    });
    // Server-side health: the caller is not part of the finding (trusted callers do not hide it).
    expect(findings[0]?.principal).toBeUndefined();
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'low']]);
  });

  it('p95 above 5 s → medium, and a worsening tool escalates low → medium', async () => {
    const slow = findingsOf(await runEvents(burst(0, 20, 2, 6000), { only: [ID] }), ID);
    expect(slow.map((f) => [f.severity, f.subject])).toEqual([['medium', 'tool=read_file']]);
    // 20 calls with 2 at 1.5 s (low), then 2 more at 6 s push the p95 over 5 s.
    const events = [...burst(0, 20, 2, 1500), call(200, 6000), call(210, 6000)];
    const escalating = findingsOf(await runEvents(events, { only: [ID] }), ID);
    expect(escalating.map((f) => f.severity)).toEqual(['low', 'medium']);
  });

  it('near miss: a single slow call among 20, or 19 calls however slow, do not fire', async () => {
    expect(findingsOf(await runEvents(burst(0, 20, 1, 30_000), { only: [ID] }), ID)).toHaveLength(0);
    expect(findingsOf(await runEvents(burst(0, 19, 19, 30_000), { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: p95 of exactly 1 s is not above the limit', async () => {
    expect(findingsOf(await runEvents(burst(0, 20, 2, 1000), { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: slow calls spread over two tools, or out of the 5-minute window, do not combine', async () => {
    const twoTools = [...burst(0, 10, 1, 3000), ...burst(0, 10, 1, 3000, { tool: 'write_file' })];
    expect(findingsOf(await runEvents(twoTools, { only: [ID] }), ID)).toHaveLength(0);
    // Two slow calls at t=0 and t=10, then 18 fast calls from minute 7 on: the slow ones have left the window.
    const stale = [call(0, 3000), call(10, 3000), ...burst(420, 18, 0, 0)];
    expect(findingsOf(await runEvents(stale, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('a sustained slow tool reports once per window, not per call', async () => {
    // 60 calls at 2 s over 10 minutes: one finding at the 20th call, one more 5 minutes later.
    const events = Array.from({ length: 60 }, (_, i) => call(i * 10, 2000));
    const findings = findingsOf(await runEvents(events, { only: [ID], batchSize: 7 }), ID);
    expect(findings.map((f) => [f.severity, f.ts - findings[0]!.ts])).toEqual([
      ['low', 0],
      ['low', 300_000],
    ]);
  });

  it('p95 above 3× its baseline for 3 consecutive minutes → medium baseline finding', async () => {
    const events = [...minutes(0, 10, 100), ...minutes(10, 13, 400)];
    const result = await runEvents(events, { only: [ID], batchSize: 9 });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'tool=search_docs baseline',
      tool: 'search_docs',
      evidence: {
        latencyMs: 400,
        baselineMs: 100,
        factor: 4,
        threshold: 3,
        consecutiveBuckets: 3,
        bucketSamples: 5,
      },
    });
    // Fired on the 5th call of the third slow minute.
    expect(findings[0]?.ts).toBe(events[events.length - 1]?.ts);
  });

  it('near miss: 2 slow minutes then a normal one, a deviation below the 200 ms floor, or no warm-up', async () => {
    const twoMinutes = [...minutes(0, 10, 100), ...minutes(10, 12, 400), ...minutes(12, 14, 100)];
    expect(findingsOf(await runEvents(twoMinutes, { only: [ID] }), ID)).toHaveLength(0);
    const fast = [...minutes(0, 10, 20), ...minutes(10, 14, 90)];
    expect(findingsOf(await runEvents(fast, { only: [ID] }), ID)).toHaveLength(0);
    const noWarmup = [...minutes(0, 5, 100), ...minutes(5, 9, 400)];
    expect(findingsOf(await runEvents(noWarmup, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: an idle minute breaks the run of slow minutes', async () => {
    const events = [...minutes(0, 10, 100), ...minutes(10, 12, 400), ...minutes(13, 15, 400)];
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('ignores calls without a duration and respects configured limits', async () => {
    const noDuration = burst(0, 20, 20, 3000).map((ev) => {
      const { durationMs: _, ...event } = ev.event;
      return { ...ev, event };
    });
    expect(findingsOf(await runEvents(noDuration, { only: [ID] }), ID)).toHaveLength(0);
    const tuned = await runEvents(burst(0, 20, 2, 1500), {
      only: [ID],
      config: { detectors: { [ID]: { lowMs: 2000 } } },
    });
    expect(findingsOf(tuned, ID)).toHaveLength(0);
  });
});
