import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { isResolvable, MAX_OPEN_INCIDENTS } from '../../../functions/engine/alerts/lifecycle.js';
import type { AlertSink } from '../../../functions/engine/alerts/sink.js';
import { compileEngine } from '../../../functions/engine/compile.js';
import { parseEngineConfig } from '../../../functions/engine/config/build.js';
import { defineDetector, type DetectorMeta } from '../../../functions/engine/detectors/detector.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';
import type { EngineEvent } from '../../../functions/engine/events/engine-event.js';
import { runBatch, runTick } from '../../../functions/engine/pipeline.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { mcpEvent } from '../../helpers/engine-harness.js';

const BASE = Date.parse('2026-11-24T10:00:00.000Z');

function echo(id: string, state: DetectorMeta['state']) {
  return defineDetector({
    meta: { id, category: 'api', title: id, severity: 'medium', detects: 'every call', why: 't', tuning: 't', runbook: 'look', references: [], state },
    settings: z.object({}),
    events: ['mcp.call'],
    evaluate(ev, ctx) {
      const [prefix, severity, subject] = (ev.event.tool ?? '').split(':') as [string, 'medium', string];
      if (prefix !== id) return;
      ctx.report({ severity, subject, title: `${id} ${subject}`, ts: ev.ts, server: 's1' });
    },
  });
}

const WINDOWED = echo('TEST-RATE', 'window');
const ONE_SHOT = echo('TEST-ONESHOT', 'none');

class LifecycleSink implements AlertSink {
  readonly alerts: Alert[] = [];
  readonly events: Alert[] = [];
  async publish(alert: Alert): Promise<void> {
    this.alerts.push(alert);
  }
  async lifecycle(event: Alert): Promise<void> {
    this.events.push(event);
  }
}

const call = (seconds: number, tool: string): EngineEvent => mcpEvent({ event: 'mcp.call', time: seconds, tool, server: { name: 's1' } });

function setup() {
  const parsed = parseEngineConfig({ alerts: { dedupSeconds: 60 } }, [WINDOWED, ONE_SHOT]);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const engine = compileEngine(parsed.config, [WINDOWED, ONE_SHOT]);
  const store = new MemoryStateStore();
  const sink = new LifecycleSink();
  let n = 0;
  const origin = { account: '111122223333', region: 'eu-west-1' };
  return {
    sink,
    batch: (events: EngineEvent[]) => runBatch(engine, { batchId: `b${n++}`, events }, { store, sink, origin, lifecycle: true }),
    tick: (seconds: number) => runTick(engine, BASE + seconds * 1000, { store, sink, origin, lifecycle: true }),
  };
}

describe('alert lifecycle', () => {
  it('is off unless asked for: no status, no extra state writes, origin still stamped', async () => {
    const parsed = parseEngineConfig({}, [WINDOWED]);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const engine = compileEngine(parsed.config, [WINDOWED]);
    const sink = new LifecycleSink();
    const off = await runBatch(engine, { batchId: 'x', events: [call(0, 'TEST-RATE:medium:a')] }, { store: new MemoryStateStore(), sink, origin: { account: '111122223333' } });
    const on = await runBatch(engine, { batchId: 'x', events: [call(0, 'TEST-RATE:medium:a')] }, { store: new MemoryStateStore(), sink, lifecycle: true });
    expect(sink.alerts[0]?.status).toBeUndefined();
    expect(sink.alerts[0]?.account).toBe('111122223333');
    expect(sink.alerts[1]?.status).toBe('new');
    expect(on.stateWrites - off.stateWrites).toBe(3);
  });

  it('raises new, folds repeats into an update of the open incident, and resolves after a quiet dedup window', async () => {
    const { sink, batch } = setup();
    await batch([call(0, 'TEST-RATE:medium:a')]);
    expect(sink.alerts).toHaveLength(1);
    expect(sink.alerts[0]).toMatchObject({ status: 'new', account: '111122223333', region: 'eu-west-1', count: 1 });

    await batch([call(20, 'TEST-RATE:medium:a'), call(30, 'TEST-RATE:medium:a')]);
    expect(sink.alerts).toHaveLength(1);
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({ status: 'updated', fingerprint: sink.alerts[0]?.fingerprint, count: 3, lastSeen: '2026-11-24T10:00:30.000Z' });

    // Another incident's events move event time on; 59 s after the last occurrence: still open.
    await batch([call(89, 'TEST-RATE:medium:other')]);
    expect(sink.events.filter((e) => e.status === 'resolved')).toHaveLength(0);
    // 60 s after the last occurrence: resolved, once.
    await batch([call(90, 'TEST-RATE:medium:other')]);
    const resolved = sink.events.filter((e) => e.status === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ fingerprint: sink.alerts[0]?.fingerprint, count: 3, lastSeen: '2026-11-24T10:00:30.000Z', resolvedAt: '2026-11-24T10:01:30.000Z', account: '111122223333' });
    await batch([call(200, 'TEST-RATE:medium:other')]);
    expect(sink.events.filter((e) => e.status === 'resolved' && e.fingerprint === sink.alerts[0]?.fingerprint)).toHaveLength(1);
  });

  it('marks an escalation inside the window as an update of the same incident', async () => {
    const { sink, batch } = setup();
    await batch([call(0, 'TEST-RATE:medium:a')]);
    await batch([call(10, 'TEST-RATE:high:a')]);
    expect(sink.alerts.map((a) => [a.status, a.severity, a.count])).toEqual([
      ['new', 'medium', 1],
      ['updated', 'high', 2],
    ]);
    expect(sink.alerts[1]?.fingerprint).toBe(sink.alerts[0]?.fingerprint);
  });

  it('resolves on the scheduled tick when the server goes quiet, and a recurrence is new again', async () => {
    const { sink, batch, tick } = setup();
    await batch([call(0, 'TEST-RATE:medium:a')]);
    await tick(30);
    expect(sink.events).toHaveLength(0);
    await tick(61);
    expect(sink.events.map((e) => e.status)).toEqual(['resolved']);
    await batch([call(100, 'TEST-RATE:medium:a')]);
    expect(sink.alerts.map((a) => a.status)).toEqual(['new', 'new']);
  });

  it('never resolves an incident that keeps occurring (near miss: repeats every 50 s with a 60 s window)', async () => {
    const { sink, batch, tick } = setup();
    for (let t = 0; t <= 500; t += 50) {
      await batch([call(t, 'TEST-RATE:medium:a')]);
      await tick(t + 49);
    }
    expect(sink.events.filter((e) => e.status === 'resolved')).toEqual([]);
    expect(sink.events.filter((e) => e.status === 'updated').length).toBeGreaterThan(0);
  });

  it('does not resolve one-shot detections (state none): the injection happened and stays happened', async () => {
    const { sink, batch, tick } = setup();
    await batch([call(0, 'TEST-ONESHOT:high:x')]);
    await tick(3600);
    await batch([call(4000, 'TEST-RATE:medium:other')]);
    expect(sink.alerts[0]).toMatchObject({ detector: 'TEST-ONESHOT', status: 'new' });
    expect(sink.events.filter((e) => e.detector === 'TEST-ONESHOT')).toEqual([]);
  });

  it('documents which built-in detectors resolve', () => {
    const resolvable = ALL_DETECTORS.filter((d) => isResolvable(d.meta)).map((d) => d.meta.id);
    expect(resolvable).toContain('AUTH-BRUTE-FORCE');
    expect(resolvable).toContain('RES-TELEMETRY-GAP');
    expect(resolvable).not.toContain('API-SECRET-LEAK');
    expect(resolvable).not.toContain('CFG-TOOL-POISONING');
    expect(MAX_OPEN_INCIDENTS).toBeGreaterThan(0);
  });
});
