import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../functions/engine/events/engine-event.js';
import { findingsOf, mcpEvent, runEvents } from '../../../helpers/engine-harness.js';

const ID = 'RES-TELEMETRY-GAP';
const MIN = 60;

/** `perMinute` events per minute (alternating kinds) for minutes [from, to). */
function traffic(server: string, from: number, to: number, perMinute: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let m = from; m < to; m++) {
    for (let i = 0; i < perMinute; i++) {
      const time = m * MIN + Math.floor((i * MIN) / perMinute);
      out.push(
        i % 2 === 0
          ? mcpEvent({
              event: 'mcp.call',
              time,
              server: { name: server },
              rpc: { method: 'tools/call' },
              tool: 'read_file',
            })
          : mcpEvent({ event: 'mcp.usage', time, server: { name: server }, usage: { cpuPct: 20 } }),
      );
    }
  }
  return out;
}

function one(server: string, time: number): EngineEvent {
  return mcpEvent({
    event: 'mcp.notification',
    time,
    server: { name: server },
    rpc: { method: 'notifications/progress' },
  });
}

// 3 events/min for 40 minutes; the last event is at 39:40.
const BUSY = traffic('files-mcp', 0, 40, 3);
const LAST = 39 * MIN + 40;

describe('RES-TELEMETRY-GAP', () => {
  it('retrospective: the first event after 20 silent minutes reports the gap that ended', async () => {
    const result = await runEvents([...BUSY, one('files-mcp', LAST + 20 * MIN)], {
      only: [ID],
      batchSize: 25,
    });
    const findings = findingsOf(result, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      subject: 'telemetry-gap',
      server: 'files-mcp',
      title: 'Telemetry gap of 20 min ended for files-mcp (usually 3 events/min)',
      evidence: {
        silentMinutes: 20,
        gapMinutes: 15,
        baselineEventsPerMinute: 3,
        minRatePerMinute: 1,
        ongoing: false,
      },
    });
    expect(result.alerts.map((a) => [a.detector, a.severity, a.server])).toEqual([
      [ID, 'medium', 'files-mcp'],
    ]);
  });

  it('tick: a busy server silent for 16 minutes is reported while the silence lasts, once', async () => {
    const quiet = traffic('api-mcp', 0, 60, 2);
    const result = await runEvents([...BUSY, ...quiet], { only: [ID], tickAt: LAST + 16 * MIN });
    const findings = findingsOf(result, ID);
    // api-mcp kept logging until minute 60, so only files-mcp is silent.
    expect(findings.map((f) => [f.server, f.title, f.evidence?.ongoing])).toEqual([
      ['files-mcp', 'No events from files-mcp for 16 min (usually 3 events/min)', true],
    ]);
    // A later tick does not repeat the same silence; the gap-ended report follows when events resume.
    const again = await runEvents([], { only: [ID], store: result.store, tickAt: LAST + 30 * MIN });
    expect(findingsOf(again, ID)).toHaveLength(0);
    const resumed = await runEvents([one('files-mcp', LAST + 31 * MIN)], { only: [ID], store: result.store });
    expect(findingsOf(resumed, ID).map((f) => [f.evidence?.silentMinutes, f.evidence?.ongoing])).toEqual([
      [31, false],
    ]);
  });

  it('near miss: 14 silent minutes (tick or retrospective) are not a gap', async () => {
    expect(findingsOf(await runEvents(BUSY, { only: [ID], tickAt: LAST + 14 * MIN }), ID)).toHaveLength(0);
    expect(
      findingsOf(await runEvents([...BUSY, one('files-mcp', LAST + 14 * MIN)], { only: [ID] }), ID),
    ).toHaveLength(0);
  });

  it('near miss: servers at or below 1 event/min, or with less than 30 minutes of history, are not watched', async () => {
    // Exactly 1/min: not above the baseline limit.
    const steady = traffic('slow-mcp', 0, 60, 1);
    expect(findingsOf(await runEvents(steady, { only: [ID], tickAt: 60 * MIN + 20 * MIN }), ID)).toHaveLength(
      0,
    );
    // One event every 2 minutes, then a 30-minute gap.
    const sparse = Array.from({ length: 30 }, (_, i) => one('cron-mcp', i * 2 * MIN));
    expect(
      findingsOf(await runEvents([...sparse, one('cron-mcp', 90 * MIN)], { only: [ID] }), ID),
    ).toHaveLength(0);
    // Busy but new: 20 minutes of history.
    const young = traffic('new-mcp', 0, 20, 5);
    expect(findingsOf(await runEvents(young, { only: [ID], tickAt: 40 * MIN }), ID)).toHaveLength(0);
  });

  it('keeps per-event work to one registry item whatever the event mix', async () => {
    const events = [...traffic('a-mcp', 0, 5, 10), ...traffic('b-mcp', 0, 5, 10), one('c-mcp', 10)];
    const result = await runEvents(events, { only: [ID] });
    expect(result.outcomes[0]?.stateWrites).toBe(1);
    const registry = result.store.peek(`${ID}|*|registry|servers`);
    expect(registry?.k === 'r' ? Object.keys(registry.v).sort() : []).toEqual(['a-mcp', 'b-mcp', 'c-mcp']);
  });

  it('bounds the registry: past maxServers the longest-silent server is forgotten', async () => {
    const events = Array.from({ length: 6 }, (_, i) => one(`srv-${i}`, i * MIN));
    const result = await runEvents(events, {
      only: [ID],
      config: { detectors: { [ID]: { maxServers: 4 } } },
    });
    const registry = result.store.peek(`${ID}|*|registry|servers`);
    expect(registry?.k === 'r' ? Object.keys(registry.v).sort() : []).toEqual([
      'srv-2',
      'srv-3',
      'srv-4',
      'srv-5',
    ]);
  });
});
