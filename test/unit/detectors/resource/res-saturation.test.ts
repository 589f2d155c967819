import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../functions/engine/events/engine-event.js';
import type { McpEvent } from '../../../../functions/engine/events/schema.js';
import { findingsOf, mcpEvent, runEvents } from '../../../helpers/engine-harness.js';

const ID = 'RES-SATURATION';

function sample(time: number, usage: NonNullable<McpEvent['usage']>, instance = 'task-7f3a') {
  return mcpEvent({ event: 'mcp.usage', time, server: { name: 'files-mcp', instance }, usage });
}

function cpu(values: number[], instance?: string) {
  return values.map((v, i) => sample(i * 30, { cpuPct: v }, instance));
}

/** A Lambda REPORT line as the normalizer emits it: mcp.usage with memory used / size, instance from the log stream. */
function lambdaReport(time: number, memUsedMb: number): EngineEvent {
  const ev = mcpEvent({
    event: 'mcp.usage',
    time,
    server: { name: 'files-mcp' },
    usage: { memUsedMb, memLimitMb: 512, durationMs: 12.3 } as never,
  });
  return { ...ev, origin: { format: 'lambda-report', logStream: '2026/11/24/[$LATEST]abc123' } };
}

describe('RES-SATURATION', () => {
  it('CPU above 80 % in 3 of the last 5 samples → medium', async () => {
    const result = await runEvents(cpu([50, 85, 60, 90, 82]), { only: [ID] });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'instance=task-7f3a metric=cpu',
      server: 'files-mcp',
      evidence: {
        metric: 'cpu',
        latestPct: 82,
        limitPct: 80,
        samplesAbove: 3,
        samples: [50, 85, 60, 90, 82],
      },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity])).toEqual([[ID, 'medium']]);
  });

  it('CPU above 95 % in 3 samples → high, escalating from medium', async () => {
    const findings = findingsOf(
      await runEvents(cpu([85, 90, 88, 96, 97, 99]), { only: [ID], batchSize: 2 }),
      ID,
    );
    expect(findings.map((f) => [f.severity, f.evidence?.limitPct])).toEqual([
      ['medium', 80],
      ['high', 95],
    ]);
  });

  it('memory from Lambda REPORT lines (used / size) and disk use their own limits', async () => {
    // 490/512 = 95.7 % (> 95 → high), 440/512 = 85.9 % (> 85 → medium).
    const lambda = [lambdaReport(0, 490), lambdaReport(5, 100), lambdaReport(10, 491), lambdaReport(15, 500)];
    const memory = findingsOf(await runEvents(lambda, { only: [ID] }), ID);
    expect(memory).toHaveLength(1);
    expect(memory[0]).toMatchObject({
      severity: 'high',
      subject: 'instance=2026/11/24/[$LATEST]abc123 metric=memory',
      evidence: {
        metric: 'memory',
        latestPct: 97.7,
        limitPct: 95,
        samplesAbove: 3,
        memUsedMb: 500,
        memLimitMb: 512,
      },
    });
    const disk = [81, 82, 83].map((v, i) => sample(i * 60, { diskPct: v }));
    expect(findingsOf(await runEvents(disk, { only: [ID] }), ID).map((f) => [f.severity, f.subject])).toEqual(
      [['medium', 'instance=task-7f3a metric=disk']],
    );
  });

  it('near miss: 2 of 5 samples above, exactly at the limit, or a single spike', async () => {
    expect(findingsOf(await runEvents(cpu([85, 50, 90, 60, 70]), { only: [ID] }), ID)).toHaveLength(0);
    expect(findingsOf(await runEvents(cpu([80, 80, 80, 80, 80]), { only: [ID] }), ID)).toHaveLength(0);
    expect(findingsOf(await runEvents(cpu([10, 10, 100, 10, 10]), { only: [ID] }), ID)).toHaveLength(0);
    // Memory 85 % exactly (435.2/512) is not above 85 %.
    const atLimit = [0, 5, 10].map((t) => sample(t, { memUsedMb: 435.2, memLimitMb: 512 }));
    expect(findingsOf(await runEvents(atLimit, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('near miss: hot samples on different instances, or older than 30 minutes, do not combine', async () => {
    const spread = [
      sample(0, { cpuPct: 90 }, 'a'),
      sample(10, { cpuPct: 90 }, 'b'),
      sample(20, { cpuPct: 90 }, 'c'),
    ];
    expect(findingsOf(await runEvents(spread, { only: [ID] }), ID)).toHaveLength(0);
    const old = [sample(0, { cpuPct: 90 }), sample(60, { cpuPct: 90 }), sample(60 * 40, { cpuPct: 90 })];
    expect(findingsOf(await runEvents(old, { only: [ID] }), ID)).toHaveLength(0);
  });

  it('stays quiet while saturation lasts (one finding per 15 min) and re-arms after it clears', async () => {
    const hot = (t: number) => sample(t, { cpuPct: 90 });
    const cool = (t: number) => sample(t, { cpuPct: 20 });
    const events = [
      hot(0),
      hot(30),
      hot(60),
      hot(90),
      hot(120),
      cool(150),
      cool(180),
      cool(210),
      hot(240),
      hot(270),
      hot(300),
    ];
    const findings = findingsOf(await runEvents(events, { only: [ID] }), ID);
    // 3rd sample fires; samples 4–5 stay under the gate; 3 cool samples clear it; 3 new hot ones fire again.
    expect(findings.map((f) => f.ts - events[0]!.ts)).toEqual([60_000, 300_000]);
  });

  it('ignores samples without usable numbers (no memory limit, negative values)', async () => {
    const events = [0, 5, 10, 15].map((t) => sample(t, { memUsedMb: 4000, cpuPct: -1 }));
    expect(findingsOf(await runEvents(events, { only: [ID] }), ID)).toHaveLength(0);
  });
});
