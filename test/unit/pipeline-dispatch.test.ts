/**
 * The detection loop's dispatch: every detector of an event's kind runs in registry order, and a
 * detector that throws is counted (detectorErrors) without stopping the detectors after it or
 * the batch.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileEngine } from '../../functions/engine/compile.js';
import { defaultEngineConfig } from '../../functions/engine/config/defaults.js';
import { defineDetector } from '../../functions/engine/detectors/detector.js';
import type { AnyDetector } from '../../functions/engine/detectors/registry-types.js';
import { runBatch } from '../../functions/engine/pipeline.js';
import { MemoryStateStore } from '../../functions/engine/state/memory-store.js';
import { CollectingSink, mcpEvent, testDetectorMeta } from '../helpers/engine-harness.js';

/** A detector that reports every mcp.call it sees, and throws on the calls `throwsOn` selects. */
function probe(id: string, throwsOn: (tool: string) => boolean): AnyDetector {
  return defineDetector({
    meta: testDetectorMeta(id, 'none'),
    settings: z.object({}),
    events: ['mcp.call'],
    evaluate(ev, ctx) {
      const tool = ev.event.tool ?? '';
      if (throwsOn(tool)) throw new Error(`${id} fails on ${tool}`);
      ctx.report({ severity: 'low', title: `${id} saw ${tool}`, subject: `${id} ${tool}`, ts: ev.ts });
    },
  }) as unknown as AnyDetector;
}

describe('detection dispatch', () => {
  it('runs every detector in order and counts each throw without skipping the rest', async () => {
    const detectors = [
      probe('T-ALWAYS-FAILS', () => true),
      probe('T-FIRST', () => false),
      probe('T-FAILS-ON-B', (tool) => tool === 'b'),
      probe('T-LAST', () => false),
    ];
    const engine = compileEngine(defaultEngineConfig(detectors), detectors);
    const events = ['a', 'b', 'c'].map((tool, i) => mcpEvent({ event: 'mcp.call', tool, time: i, server: { name: 's' } }));
    const outcome = await runBatch(engine, { batchId: 'b1', events }, { store: new MemoryStateStore(), sink: new CollectingSink() });

    expect(outcome.detectorErrors).toEqual({ 'T-ALWAYS-FAILS': 3, 'T-FAILS-ON-B': 1 });
    expect(outcome.findingList.map((f) => f.finding.title)).toEqual([
      'T-FIRST saw a',
      'T-FAILS-ON-B saw a',
      'T-LAST saw a',
      'T-FIRST saw b',
      'T-LAST saw b',
      'T-FIRST saw c',
      'T-FAILS-ON-B saw c',
      'T-LAST saw c',
    ]);
  });

  it('runs nothing for event kinds no detector asked for', async () => {
    const detectors = [probe('T-ALWAYS-FAILS', () => true)];
    const engine = compileEngine(defaultEngineConfig(detectors), detectors);
    const events = [mcpEvent({ event: 'mcp.session', server: { name: 's' } })];
    const outcome = await runBatch(engine, { batchId: 'b2', events }, { store: new MemoryStateStore(), sink: new CollectingSink() });
    expect(outcome.detectorErrors).toEqual({});
    expect(outcome.findings).toBe(0);
  });
});
