import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileEngine } from '../../../functions/engine/compile.js';
import { parseEngineConfig } from '../../../functions/engine/config/build.js';
import { defineDetector } from '../../../functions/engine/detectors/detector.js';
import type { EngineEvent } from '../../../functions/engine/events/engine-event.js';
import { runBatch } from '../../../functions/engine/pipeline.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { CollectingSink, mcpEvent } from '../../helpers/engine-harness.js';

// A detector that reports every mcp.call, with severity and subject taken from the call's tool name.
const echo = defineDetector({
  meta: {
    id: 'TEST-ECHO',
    category: 'api',
    title: 'Echo',
    severity: 'medium',
    detects: 'every call',
    why: 'tests',
    tuning: 'none',
    runbook: 'none',
    references: [{ id: 'T', title: 'test' }],
    state: 'none',
  },
  settings: z.object({}),
  events: ['mcp.call'],
  evaluate(ev, ctx) {
    const e = ev.event;
    const [severity, subject] = (e.tool ?? 'medium:x').split(':') as ['medium', string];
    ctx.report({
      severity,
      subject,
      title: `echo ${subject} ${String((e.arguments as { note?: string } | undefined)?.note ?? '')}`,
      ts: ev.ts,
      ...(e.server?.name ? { server: e.server.name } : {}),
      ...(e.client?.ip ? { clientIp: e.client.ip } : {}),
      ...(e.principal?.sub ? { principal: e.principal.sub } : {}),
      evidence: { arguments: e.arguments },
    });
  },
});

function call(time: number, tool: string, extra: Record<string, unknown> = {}): EngineEvent {
  return mcpEvent({ event: 'mcp.call', time, tool, server: { name: 's1' }, ...extra });
}

async function run(batches: EngineEvent[][], config: Record<string, unknown> = {}) {
  const parsed = parseEngineConfig(config, [echo]);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const engine = compileEngine(parsed.config, [echo]);
  const store = new MemoryStateStore();
  const sink = new CollectingSink();
  const outcomes = [];
  for (const [i, events] of batches.entries()) outcomes.push(await runBatch(engine, { batchId: `b${i}`, events }, { store, sink }));
  return { alerts: sink.alerts, outcomes };
}

describe('alert stage', () => {
  it('a repeat inside the dedup window writes no state unless it moves the incident\'s first sighting', async () => {
    const { alerts, outcomes } = await run([[call(0, 'medium:a')], [call(10, 'medium:a')], [call(20, 'medium:a')], [call(-5, 'medium:a')], [call(3700, 'medium:a')]]);
    // The raise writes the dedup record and the storm counter; later repeats leave them alone…
    expect(outcomes.slice(0, 4).map((o) => o.stateWrites)).toEqual([2, 0, 0, 1]);
    expect(outcomes[3]?.repeats).toHaveLength(1);
    // …except one from before the first sighting (an out-of-order batch): the next alert's firstSeen.
    expect(alerts.map((a) => a.firstSeen)).toEqual(['2026-11-24T10:00:00.000Z', '2026-11-24T09:59:55.000Z']);
  });

  it('folds repeats of one incident within a batch into one alert with a count', async () => {
    const { alerts } = await run([[call(0, 'medium:a'), call(5, 'medium:a'), call(9, 'medium:b')]]);
    expect(alerts.map((a) => [a.title.split(' ')[1], a.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(alerts[0]).toMatchObject({
      detector: 'TEST-ECHO',
      category: 'api',
      severity: 'medium',
      server: 's1',
      firstSeen: '2026-11-24T10:00:00.000Z',
      lastSeen: '2026-11-24T10:00:05.000Z',
      time: '2026-11-24T10:00:00.000Z',
      references: [{ id: 'T', title: 'test' }],
      runbook: 'none',
    });
  });

  it('gives the same incident the same fingerprint across runs and different incidents different ones', async () => {
    const first = await run([[call(0, 'medium:a'), call(1, 'medium:b')]]);
    const second = await run([[call(500, 'medium:a')]]);
    expect(first.alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(second.alerts[0]?.fingerprint).toBe(first.alerts[0]?.fingerprint);
    expect(first.alerts[1]?.fingerprint).not.toBe(first.alerts[0]?.fingerprint);
  });

  it('deduplicates across batches inside the dedup window and alerts again after it', async () => {
    const { alerts, outcomes } = await run([[call(0, 'medium:a')], [call(600, 'medium:a')], [call(3700, 'medium:a')]]);
    expect(alerts).toHaveLength(2);
    expect(outcomes[1]?.repeats).toEqual([
      { fingerprint: alerts[0]?.fingerprint, detector: 'TEST-ECHO', count: 1, lastSeen: '2026-11-24T10:10:00.000Z' },
    ]);
    expect(alerts[1]?.firstSeen).toBe('2026-11-24T10:00:00.000Z');
  });

  it('alerts again inside the window when the incident escalates', async () => {
    const { alerts } = await run([[call(0, 'low:a')], [call(10, 'critical:a')]]);
    expect(alerts.map((a) => a.severity)).toEqual(['low', 'critical']);
    expect(alerts[0]?.fingerprint).toBe(alerts[1]?.fingerprint);
  });

  it('caps an alert storm per detector and stands one summary alert for the rest', async () => {
    const events = Array.from({ length: 8 }, (_, i) => call(i, `medium:s${i}`));
    const { alerts, outcomes } = await run([events.slice(0, 4), events.slice(4)], { alerts: { stormCap: 3 } });
    expect(alerts).toHaveLength(4);
    expect(alerts[3]?.title).toMatch(/^Alert storm: TEST-ECHO/);
    expect(alerts[3]?.server).toBe('*');
    expect(outcomes[0]?.stormSuppressed).toBe(1);
    expect(outcomes[1]?.stormSuppressed).toBe(4);
    expect(outcomes[1]?.repeats.map((r) => r.count)).toEqual([1, 1, 1, 1]);
  });

  it('suppresses trusted principals and networks, and reasoned suppressions', async () => {
    const events = [
      call(0, 'medium:a', { principal: { sub: 'ci-bot' } }),
      call(1, 'medium:b', { client: { ip: '10.1.2.3' } }),
      call(2, 'medium:c', { client: { ip: '203.0.113.9' } }),
      call(3, 'medium:d'),
    ];
    const { alerts, outcomes } = await run([events], {
      allowLists: { principals: ['ci-*'], cidrs: ['10.0.0.0/8'] },
      suppressions: [{ detector: 'TEST-ECHO', cidr: '203.0.113.0/24', reason: 'pen test until Friday' }],
    });
    expect(alerts.map((a) => a.title.split(' ')[1])).toEqual(['d']);
    expect(outcomes[0]?.suppressed).toBe(3);
  });

  it('a suppression with `until` stops applying after that time', async () => {
    const events = [call(0, 'medium:a'), call(7200, 'medium:b')];
    const { alerts } = await run([events], {
      suppressions: [{ server: 's1', reason: 'maintenance', until: '2026-11-24T11:00:00Z' }],
    });
    expect(alerts.map((a) => a.title.split(' ')[1])).toEqual(['b']);
  });

  it('shadow mode counts findings and publishes nothing', async () => {
    const { alerts, outcomes } = await run([[call(0, 'medium:a'), call(1, 'medium:b')]], {
      detectors: { 'TEST-ECHO': { mode: 'shadow' } },
    });
    expect(alerts).toHaveLength(0);
    expect(outcomes[0]?.shadowFindings).toEqual({ 'TEST-ECHO': 2 });
  });

  it('a severity override replaces the detector severity', async () => {
    const { alerts } = await run([[call(0, 'medium:a')]], { detectors: { 'TEST-ECHO': { severity: 'critical' } } });
    expect(alerts[0]?.severity).toBe('critical');
  });

  it('redacts secrets from titles and evidence and bounds evidence size', async () => {
    const key = 'AKIA' + 'IOSFODNN7QWERTY1';
    const { alerts } = await run([
      [call(0, 'medium:a', { arguments: { note: key, password: 'hunter2-but-longer', blob: 'x'.repeat(10_000) } })],
    ]);
    const json = JSON.stringify(alerts[0]);
    expect(json).not.toContain(key);
    expect(json).not.toContain('hunter2');
    expect(alerts[0]?.title).toContain('[REDACTED:aws-access-key-id]');
    expect(json.length).toBeLessThan(4096);
  });
});
