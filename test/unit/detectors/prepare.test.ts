/**
 * A detector's `prepare(settings, config)` runs once when the engine is compiled — not per event,
 * not per batch — and what it returns reaches `evaluate` and `tick` as `ctx.prepared`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileEngine } from '../../../functions/engine/compile.js';
import { parseEngineConfig } from '../../../functions/engine/config/build.js';
import type { EngineConfig } from '../../../functions/engine/config/schema.js';
import { defineDetector } from '../../../functions/engine/detectors/detector.js';
import type { AnyDetector } from '../../../functions/engine/detectors/registry-types.js';
import { CountThreshold } from '../../../functions/engine/detectors/threshold.js';
import { runBatch, runTick } from '../../../functions/engine/pipeline.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { CollectingSink, mcpEvent, testDetectorMeta } from '../../helpers/engine-harness.js';

interface Probe {
  readonly detector: AnyDetector;
  readonly prepareCalls: Array<{ settings: { threshold: number; words: string[] }; config: EngineConfig }>;
  /** `ctx.prepared` as each evaluate / tick call saw it. */
  readonly seen: unknown[];
}

/** Reports when a tool whose name is in `words` has been called `threshold` times (per tool). */
function probe(): Probe {
  const prepareCalls: Probe['prepareCalls'] = [];
  const seen: unknown[] = [];
  const detector = defineDetector({
    meta: testDetectorMeta('T-PREPARED', 'window'),
    settings: z.object({
      threshold: z.number().int().min(1).default(3).describe('calls'),
      words: z.array(z.string()).default(['Deploy']).describe('tools'),
    }),
    events: ['mcp.call'],
    prepare(settings, config) {
      prepareCalls.push({ settings, config });
      return {
        words: new Set(settings.words.map((w) => w.toLowerCase())),
        calls: new CountThreshold({ threshold: settings.threshold, windowMs: 60_000, report: 'every' }),
      };
    },
    evaluate(ev, ctx) {
      seen.push(ctx.prepared);
      const tool = ev.event.tool ?? '';
      if (!ctx.prepared.words.has(tool.toLowerCase())) return;
      const calls = ctx.prepared.calls.count(ctx.state, `T-PREPARED|${tool}`, ev.ts);
      if (calls < 0) return;
      ctx.report({ severity: 'low', title: `${tool} called ${calls} times`, subject: `tool=${tool}`, ts: ev.ts });
    },
    tick(_now, ctx) {
      seen.push(ctx.prepared);
    },
  });
  return { detector: detector as unknown as AnyDetector, prepareCalls, seen };
}

function configFor(detectors: readonly AnyDetector[], raw: Record<string, unknown> = {}): EngineConfig {
  const parsed = parseEngineConfig(raw, detectors);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

const calls = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => mcpEvent({ event: 'mcp.call', tool: 'deploy', time: from + i, server: { name: 's' } }));

describe('prepare(settings, config)', () => {
  it('runs once per compiled engine, not per event or batch, and every call sees the same prepared value', async () => {
    const p = probe();
    const config = configFor([p.detector]);
    const engine = compileEngine(config, [p.detector]);
    expect(p.prepareCalls).toHaveLength(1);

    const store = new MemoryStateStore();
    const sink = new CollectingSink();
    const first = await runBatch(engine, { batchId: 'b1', events: calls(5) }, { store, sink });
    await runBatch(engine, { batchId: 'b2', events: calls(5, 10) }, { store, sink });
    await runTick(engine, Date.parse('2026-11-24T10:01:00.000Z'), { store, sink });

    expect(p.prepareCalls).toHaveLength(1);
    expect(p.seen).toHaveLength(11);
    expect(new Set(p.seen).size).toBe(1);
    // The prepared threshold did the counting: silent below 3, then every call (folded into one alert).
    expect(first.findingList.map((f) => f.finding.title)).toEqual(['deploy called 3 times', 'deploy called 4 times', 'deploy called 5 times']);
    expect(sink.alerts.map((a) => a.title)).toEqual(['deploy called 3 times']);
  });

  it('gets the resolved settings (defaults merged with the config file) and the engine config', () => {
    const p = probe();
    const config = configFor([p.detector], { detectors: { 'T-PREPARED': { threshold: 7 } } });
    compileEngine(config, [p.detector]);
    expect(p.prepareCalls).toHaveLength(1);
    expect(p.prepareCalls[0]?.settings).toMatchObject({ threshold: 7, words: ['Deploy'], enabled: true });
    expect(p.prepareCalls[0]?.config).toBe(config);
  });

  it('runs again for each compiled engine (a new config is prepared afresh)', () => {
    const p = probe();
    const config = configFor([p.detector]);
    compileEngine(config, [p.detector]);
    compileEngine(config, [p.detector]);
    expect(p.prepareCalls).toHaveLength(2);
  });

  it('is not run for a disabled detector', () => {
    const p = probe();
    compileEngine(configFor([p.detector], { detectors: { 'T-PREPARED': { enabled: false } } }), [p.detector]);
    expect(p.prepareCalls).toHaveLength(0);
  });

  it('a prepare that throws fails the compile with the detector id', () => {
    const broken = defineDetector({
      meta: testDetectorMeta('T-BROKEN', 'window'),
      settings: z.object({}),
      events: ['mcp.call'],
      prepare() {
        throw new Error('bad glob');
      },
      evaluate() {},
    }) as unknown as AnyDetector;
    expect(() => compileEngine(configFor([broken]), [broken])).toThrow(/T-BROKEN: cannot prepare the detector from its settings: bad glob/);
  });

  it('a detector without prepare sees ctx.prepared undefined', async () => {
    const seen: unknown[] = [];
    const plain = defineDetector({
      meta: testDetectorMeta('T-PLAIN', 'window'),
      settings: z.object({}),
      events: ['mcp.call'],
      evaluate(_ev, ctx) {
        seen.push(ctx.prepared);
      },
    }) as unknown as AnyDetector;
    const engine = compileEngine(configFor([plain]), [plain]);
    await runBatch(engine, { batchId: 'b', events: calls(2) }, { store: new MemoryStateStore(), sink: new CollectingSink() });
    expect(seen).toEqual([undefined, undefined]);
  });
});

describe('detector modules', () => {
  it('keep no WeakMap caches keyed by settings or config (that is what prepare is for)', () => {
    const root = fileURLToPath(new URL('../../../functions/engine/detectors', import.meta.url));
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const withWeakMaps = files.filter((f) => readFileSync(join(root, f), 'utf8').includes('new WeakMap')).map((f) => relative(root, join(root, f)));
    // The one left is keyed by tool definition objects taken from events, not by settings.
    expect(withWeakMaps).toEqual(['config/definition-analysis.ts']);
  });
});
