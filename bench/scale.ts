/**
 * Child process of `npm run bench -- --scale`: streams N generated events through the pipeline
 * (default config, in-memory state) and prints one JSON line with the memory curve. bench/run.ts
 * starts it with V8's heap limited the way a memory-budgeted deployment limits it (Lambda's Node
 * runtime derives `--max-old-space-size` from the function's memory); unconstrained, V8 grows its
 * heap lazily and RSS says more about the GC's mood than about what the pipeline keeps.
 *
 *   node --max-old-space-size=160 --expose-gc --import tsx bench/scale.ts [events] [seed]
 * (bench/run.ts runs it bundled by esbuild, as the Lambda code runs, without the tsx loader.)
 */
import { compileEngine } from '../functions/engine/compile.js';
import { defaultEngineConfig } from '../functions/engine/config/defaults.js';
import { decodeCloudWatchData, recordsOf } from '../functions/engine/events/cloudwatch.js';
import { Normalizer } from '../functions/engine/events/normalize.js';
import { runBatch } from '../functions/engine/pipeline.js';
import { batchIdOf } from '../functions/engine/process-records.js';
import { MemoryStateStore } from '../functions/engine/state/memory-store.js';
import { generateTraffic } from './traffic/generator.js';
import { packPayloads } from './traffic/pack.js';

export interface ScalePoint {
  events: number;
  rssMb: number;
  /** Heap still in use after a full GC: what the pipeline really keeps. */
  liveHeapMb: number;
  stateItems: number;
}

const MB = 1048576;
const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 43);
const marks = 5;
const gc = (globalThis as { gc?: () => void }).gc;

const engine = compileEngine(defaultEngineConfig());
const store = new MemoryStateStore();
const sink = { publish: async () => {} };
const curve: ScalePoint[] = [];
let events = 0;
let nextMark = total / marks;
let peakRss = 0;
let batches = 0;
for (const payload of packPayloads(generateTraffic({ seed, lines: total }))) {
  const records = recordsOf(decodeCloudWatchData(payload.data));
  const normalizer = new Normalizer();
  for (const record of records) normalizer.push(record);
  const batch = [...normalizer.drain(), ...normalizer.flush()];
  await runBatch(engine, { batchId: batchIdOf(records), events: batch }, { store, sink });
  events += records.length;
  if (++batches % 20 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (events >= nextMark) {
    nextMark += total / marks;
    gc?.();
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    curve.push({
      events,
      rssMb: Math.round(memory.rss / MB),
      liveHeapMb: Math.round(memory.heapUsed / MB),
      stateItems: store.size,
    });
  }
}
process.stdout.write(`${JSON.stringify({ events, peakRssMb: Math.round(peakRss / MB), curve })}\n`);
