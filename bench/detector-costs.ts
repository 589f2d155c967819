/**
 * `npx tsx bench/detector-costs.ts [--events N] [--only ID,ID|rules]`: the cost of each detector in
 * isolation (µs per event on the benchmark's traffic mix, in-memory state, events normalized up
 * front), next to the cost of decoding and normalizing (warm, beside the decode floor: gunzip +
 * JSON.parse of the same payloads) and of the engine with no detectors and with all of them. A
 * tool for finding where pipeline time goes; `npm run bench` is the measurement of record.
 *
 * Detectors in isolation sum to less than all of them together: together they share one larger
 * state map (more cache misses per lookup), megamorphic dispatch and more garbage collection.
 * Times are this process's CPU time (user + system), so a shared machine's waiting for a core
 * does not count; `rules` is the default rule set (project rules/, enabled packs) alone.
 */
import { gunzipSync } from 'node:zlib';
import { compileEngine } from '../functions/engine/compile.js';
import { defaultEngineConfig } from '../functions/engine/config/defaults.js';
import { ALL_DETECTORS, type AnyDetector } from '../functions/engine/detectors/registry.js';
import { decodeCloudWatchData, recordsOf } from '../functions/engine/events/cloudwatch.js';
import type { EngineEvent } from '../functions/engine/events/engine-event.js';
import { Normalizer } from '../functions/engine/events/normalize.js';
import { runBatch } from '../functions/engine/pipeline.js';
import type { RuleSet } from '../functions/engine/rules/rule-set.js';
import { MemoryStateStore } from '../functions/engine/state/memory-store.js';
import { defaultRuleSet } from './rule-engine.js';
import { generateTraffic } from './traffic/generator.js';
import { packPayloads } from './traffic/pack.js';

const argv = process.argv.slice(2);
const lines = Number(argv[argv.indexOf('--events') + 1] || 0) || 40_000;
const only = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : undefined;

const payloads = [...packPayloads(generateTraffic({ seed: 42, lines }))];

function decodeAndNormalize(): EngineEvent[][] {
  return payloads.map((p) => {
    const normalizer = new Normalizer();
    for (const r of recordsOf(decodeCloudWatchData(p.data))) normalizer.push(r);
    return [...normalizer.drain(), ...normalizer.flush()];
  });
}

/** What any consumer of these payloads must do at least (as in bench/run.ts). */
function decodeFloor(): number {
  let parsed = 0;
  for (const p of payloads) {
    const data = JSON.parse(gunzipSync(Buffer.from(p.data, 'base64')).toString('utf8')) as { logEvents: { message: string }[] };
    for (const e of data.logEvents) {
      const m = e.message;
      const brace = m.indexOf('{');
      if (brace === 0) JSON.parse(m);
      else if (brace > 0 && m.charCodeAt(0) !== 82 /* R: REPORT lines hold no JSON */) JSON.parse(m.slice(brace));
      parsed++;
    }
  }
  return parsed;
}

/** Milliseconds of this process's CPU time since `start`. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function bestOf<T>(rounds: number, run: () => T): { ms: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage();
    value = run();
    best = Math.min(best, cpuMs(start));
  }
  return { ms: best, value };
}

const { ms: normalizeMs, value: batches } = bestOf(3, decodeAndNormalize);
const { ms: floorMs, value: records } = bestOf(3, decodeFloor);
const events = batches.reduce((n, b) => n + b.length, 0);
const sink = { publish: async () => {} };

async function run(detectors: readonly AnyDetector[], rules?: RuleSet): Promise<number> {
  const engine = compileEngine(defaultEngineConfig(), detectors, rules);
  const store = new MemoryStateStore();
  const start = process.cpuUsage();
  let i = 0;
  for (const events of batches) await runBatch(engine, { batchId: String(i++), events }, { store, sink });
  return cpuMs(start);
}

const us = (ms: number) => ((ms * 1000) / events).toFixed(2);
const usPerRecord = (ms: number) => ((ms * 1000) / records).toFixed(2);
await run(ALL_DETECTORS); // warm-up
const none = Math.min(await run([]), await run([]));
const all = Math.min(await run(ALL_DETECTORS), await run(ALL_DETECTORS));
console.log(`${records} records → ${events} events · decode+normalize ${usPerRecord(normalizeMs)} µs/record (decode floor ${usPerRecord(floorMs)}) · engine without detectors ${us(none)} · all detectors ${us(all)} µs/event (${Math.round((events / all) * 1000).toLocaleString('en-US')} events/s)`);
const rows: Array<[string, number]> = [];
if (!only || only.includes('rules')) {
  const rules = defaultRuleSet(defaultEngineConfig());
  await run([], rules);
  rows.push([`rules (${rules.size})`, Math.min(await run([], rules), await run([], rules)) - none]);
}
for (const d of ALL_DETECTORS) {
  if (only && !only.includes(d.meta.id)) continue;
  await run([d]);
  rows.push([d.meta.id, Math.min(await run([d]), await run([d])) - none]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [id, ms] of rows) console.log(`${id.padEnd(24)} ${us(Math.max(0, ms)).padStart(7)} µs/event`);
if (!only) {
  const isolated = rows.filter(([id]) => !id.startsWith('rules')).reduce((sum, [, ms]) => sum + Math.max(0, ms), 0);
  console.log(`${'sum in isolation'.padEnd(24)} ${us(isolated).padStart(7)} µs/event (all together: ${us(all - none)})`);
}
