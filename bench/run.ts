/**
 * `npm run bench [-- --json] [-- --events N] [-- --scale]`
 *
 * Measures, in one run on one core:
 *   - the decode floor: gunzip + JSON.parse of the CloudWatch payloads and of every JSON log line
 *     in them (what any consumer of these logs must do at least);
 *   - the full pipeline with the default config and in-memory state: decode, normalize, every
 *     default detector, alert dedup;
 * and reports events/s for both and their ratio (the quality bar is ratio ≥ 0.5 and ≥ 100,000
 * events/s), over wall time and over this process's CPU time (`cpu` in the JSON: on a shared
 * machine wall time also counts waiting for a core). Runs alternate floor and pipeline and keep the best of each, so machine noise hits
 * both alike. `--scale` also streams 1,000,000 events through the pipeline in a child process whose
 * V8 heap is limited to `--scale-heap-mb` (default 160, what a 256 MB memory budget leaves) and
 * records RSS, the live heap after GC and the state size as it goes (bench/scale.ts).
 *
 * Then, unless `--no-cold-start`: the ingest bundle's size and module import time, built as the CDK
 * construct builds it (bench/cold-start.ts). Unless `--no-instrument`: what `instrument()` adds to one tools/call exchange of a real
 * MCP SDK server (bench/instrument-overhead.ts). Unless `--no-wrap`: the latency `mcp-watchtower wrap`
 * adds to a round trip with a real stdio server from npm (bench/wrap-overhead.ts). With `--dynamodb` (needs Java 17+): the ingest
 * handler's DynamoDB Local requests, WCU/RCU and dollars per GiB of logs for 100-, 1,000- and
 * 10,000-event payloads, beside the $0.50/GiB ingestion price (bench/dynamodb.ts; JSON: `dynamodb.byPayloadSize`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { compileEngine } from '../functions/engine/compile.js';
import { defaultEngineConfig } from '../functions/engine/config/defaults.js';
import { decodeCloudWatchData, recordsOf } from '../functions/engine/events/cloudwatch.js';
import { Normalizer } from '../functions/engine/events/normalize.js';
import { runBatch } from '../functions/engine/pipeline.js';
import { batchIdOf } from '../functions/engine/process-records.js';
import { MemoryStateStore } from '../functions/engine/state/memory-store.js';
import type { Alert } from '../functions/engine/alerts/alert.js';
import type { ScalePoint } from './scale.js';
import { measureColdStart, type ColdStart } from './cold-start.js';
import { formatDynamoDbTable, measureDynamoDb, type DynamoDbMeasurement } from './dynamodb.js';
import { measureInstrumentOverhead, type InstrumentOverhead } from './instrument-overhead.js';
import { measureWrapOverhead, type WrapOverhead } from './wrap-overhead.js';
import { defaultRuleSet, measureRuleEngine, type RuleEngineCost } from './rule-engine.js';
import { describeRules, measureRules, type RulesBench } from './rules.js';
import { DEFAULT_TRAFFIC_SEED, generateTraffic, type TrafficStats } from './traffic/generator.js';
import { packPayloads, type PackedPayload } from './traffic/pack.js';

interface Args {
  json: boolean;
  events: number;
  rounds: number;
  scale: boolean;
  seed: number;
  instrument: boolean;
  wrap: boolean;
  rules: boolean;
  coldStart: boolean;
  dynamodb: boolean;
  scaleHeapMb: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    json: false,
    events: 200_000,
    rounds: 3,
    scale: false,
    seed: DEFAULT_TRAFFIC_SEED,
    instrument: true,
    wrap: true,
    rules: true,
    coldStart: true,
    dynamodb: false,
    scaleHeapMb: 160,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--scale') args.scale = true;
    else if (a === '--scale-heap-mb') args.scaleHeapMb = Number(argv[++i]);
    else if (a === '--no-instrument') args.instrument = false;
    else if (a === '--no-wrap') args.wrap = false;
    else if (a === '--no-rules') args.rules = false;
    else if (a === '--no-cold-start') args.coldStart = false;
    else if (a === '--dynamodb') args.dynamodb = true;
    else if (a === '--events') args.events = Number(argv[++i]);
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else
      throw new Error(
        `unknown argument ${a} (known: --json --events N --rounds N --seed N --scale --scale-heap-mb N --no-instrument --no-wrap --no-rules --no-cold-start --dynamodb)`,
      );
  }
  if (!Number.isSafeInteger(args.events) || args.events < 1000)
    throw new Error('--events must be an integer ≥ 1000');
  return args;
}

function decodeFloor(payloads: readonly PackedPayload[]): number {
  let parsed = 0;
  for (const p of payloads) {
    const data = JSON.parse(gunzipSync(Buffer.from(p.data, 'base64')).toString('utf8')) as {
      logEvents: { message: string }[];
    };
    for (const e of data.logEvents) {
      const m = e.message;
      const brace = m.indexOf('{');
      if (brace === 0) JSON.parse(m);
      else if (brace > 0 && m.charCodeAt(0) !== 82 /* R: REPORT lines hold no JSON */)
        JSON.parse(m.slice(brace));
      parsed++;
    }
  }
  return parsed;
}

interface PipelineRun {
  events: number;
  alerts: Alert[];
  stateItems: number;
  unparsed: number;
  peakRss: number;
}

async function pipeline(
  payloads: Iterable<PackedPayload>,
  onBatch?: (events: number) => void,
): Promise<PipelineRun> {
  // The default detectors and the default rules (project rules/ and enabled packs), as `npm start` runs them.
  const config = defaultEngineConfig();
  const engine = compileEngine(config, undefined, defaultRuleSet(config));
  const store = new MemoryStateStore();
  const alerts: Alert[] = [];
  const sink = { publish: async (a: Alert) => void alerts.push(a) };
  let events = 0;
  let unparsed = 0;
  let peakRss = 0;
  let n = 0;
  for (const p of payloads) {
    const data = decodeCloudWatchData(p.data);
    const records = recordsOf(data);
    const normalizer = new Normalizer();
    for (const r of records) normalizer.push(r);
    const batch = [...normalizer.drain(), ...normalizer.flush()];
    await runBatch(engine, { batchId: batchIdOf(records), events: batch }, { store, sink });
    events += records.length;
    unparsed += normalizer.stats.unparsed;
    onBatch?.(events);
    if (++n % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { events, alerts, stateItems: store.size, unparsed, peakRss };
}

interface ScaleRun {
  events: number;
  peakRssMb: number;
  curve: ScalePoint[];
}

/**
 * bench/scale.ts, bundled by esbuild as the Lambda code is (no TypeScript loader in the measured
 * process), in a child whose V8 heap is limited as a memory-budgeted deployment's is.
 */
async function runScale(heapMb: number, seed: number): Promise<ScaleRun> {
  const outfile = fileURLToPath(
    new URL('../node_modules/.cache/watchtower-bench/scale.mjs', import.meta.url),
  );
  await build({
    entryPoints: [fileURLToPath(new URL('./scale.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const child = spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, '--expose-gc', outfile, '1000000', String(seed)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{'))
    throw new Error(
      `the 1,000,000-event scale run failed (exit ${child.status ?? child.signal}); with a heap of ${heapMb} MB it may have run out of memory`,
    );
  return JSON.parse(line) as ScaleRun;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
  const stats: TrafficStats = { lines: 0, attackLines: 0, sessions: 0, attacks: {} };
  const payloads = [...packPayloads(generateTraffic({ seed: args.seed, lines: args.events }, stats))];
  log(
    `generated ${stats.lines} log lines (${((100 * stats.attackLines) / stats.lines).toFixed(1)} % attack traffic, ${stats.sessions} sessions) in ${payloads.length} CloudWatch payloads`,
  );

  let bestFloor = 0;
  let bestPipeline = 0;
  // The same rates over CPU time (user + system of this process): on a shared machine wall time
  // also counts waiting for a core, which hits floor and pipeline unevenly; CPU time does not.
  let bestFloorCpu = 0;
  let bestPipelineCpu = 0;
  const cpuSeconds = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  let run: PipelineRun | undefined;
  for (let round = 0; round < args.rounds; round++) {
    let start = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    const parsed = decodeFloor(payloads);
    const floorRate = parsed / (Number(process.hrtime.bigint() - start) / 1e9);
    const floorCpuRate = parsed / cpuSeconds(cpu);
    start = process.hrtime.bigint();
    cpu = process.cpuUsage();
    run = await pipeline(payloads);
    const pipelineRate = run.events / (Number(process.hrtime.bigint() - start) / 1e9);
    const pipelineCpuRate = run.events / cpuSeconds(cpu);
    bestFloor = Math.max(bestFloor, floorRate);
    bestPipeline = Math.max(bestPipeline, pipelineRate);
    bestFloorCpu = Math.max(bestFloorCpu, floorCpuRate);
    bestPipelineCpu = Math.max(bestPipelineCpu, pipelineCpuRate);
    log(
      `round ${round + 1}: decode floor ${Math.round(floorRate).toLocaleString('en-US')} ev/s, pipeline ${Math.round(pipelineRate).toLocaleString('en-US')} ev/s (per CPU second: ${Math.round(floorCpuRate).toLocaleString('en-US')} and ${Math.round(pipelineCpuRate).toLocaleString('en-US')})`,
    );
  }
  if (!run) return;
  const bySeverity: Record<string, number> = {};
  const byDetector: Record<string, number> = {};
  for (const a of run.alerts) {
    bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
    byDetector[a.detector] = (byDetector[a.detector] ?? 0) + 1;
  }

  const rules: RuleEngineCost = await measureRuleEngine(defaultEngineConfig(), payloads, args.rounds);
  log(
    `rule engine: ${rules.usPerEvent} µs/event with the ${rules.rules} default rules (${rules.literals} prefilter literals, ${rules.ungated} rules without a literal); ${rules.synthetic.usPerEvent} µs/event with ${rules.synthetic.rules} synthetic rules (${rules.synthetic.literals} literals, ${rules.synthetic.ungated} without)`,
  );

  let scale: ScaleRun | undefined;
  if (args.scale) {
    scale = await runScale(args.scaleHeapMb, args.seed + 1);
    log(
      `streaming 1,000,000 events, V8 heap limited to ${args.scaleHeapMb} MB: peak RSS ${scale.peakRssMb} MB; ${scale.curve.map((p) => `${p.events.toLocaleString('en-US')} → RSS ${p.rssMb} MB, live heap ${p.liveHeapMb} MB, ${p.stateItems.toLocaleString('en-US')} state items`).join('; ')}`,
    );
  }

  let coldStart: ColdStart | undefined;
  if (args.coldStart) {
    coldStart = await measureColdStart();
    log(
      `ingest bundle ${coldStart.bundleKb} KB; module import median ${coldStart.importMsMedian} ms (max ${coldStart.importMsMax} ms, CPU ${coldStart.importCpuMsMedian} ms, ${coldStart.imports} fresh processes)`,
    );
  }
  let instrumentOverhead: InstrumentOverhead | undefined;
  if (args.instrument) {
    instrumentOverhead = await measureInstrumentOverhead();
    log(
      `instrument(): ${Math.round(instrumentOverhead.overheadUsPerCall)} µs added per tools/call (${(instrumentOverhead.baselineMsPerCall * 1000).toFixed(0)} → ${(instrumentOverhead.instrumentedMsPerCall * 1000).toFixed(0)} µs per call, ×${instrumentOverhead.ratio.toFixed(2)}, ${instrumentOverhead.calls} calls, in-memory transport)`,
    );
  }
  let wrapOverhead: WrapOverhead | undefined;
  if (args.wrap) {
    wrapOverhead = await measureWrapOverhead({ calls: 500 });
    log(
      `wrap: +${wrapOverhead.overheadUsP50} µs median per tools/call round trip (${wrapOverhead.directUsP50} → ${wrapOverhead.wrappedUsP50} µs; with --alerts ${wrapOverhead.wrappedWithAlertsUsP50} µs), ${wrapOverhead.calls} calls each, server-filesystem over stdio`,
    );
  }
  // Rule engine vs agent-threat-rules' own engine on the same events (bench/rules.ts).
  let versusAtr: RulesBench | undefined;
  if (args.rules) {
    versusAtr = await measureRules({ seed: args.seed });
    log(describeRules(versusAtr));
  }
  let dynamodb: DynamoDbMeasurement | undefined;
  if (args.dynamodb) {
    dynamodb = await measureDynamoDb({ seed: args.seed });
    log(formatDynamoDbTable(dynamodb).trimEnd());
  }

  const result = {
    events: run.events,
    eventsPerSec: Math.round(bestPipeline),
    decodeFloorEventsPerSec: Math.round(bestFloor),
    ratioToFloor: Math.round((bestPipeline / bestFloor) * 1000) / 1000,
    // Over CPU time: the ratio to trust on a shared, loaded machine.
    cpu: {
      eventsPerSec: Math.round(bestPipelineCpu),
      decodeFloorEventsPerSec: Math.round(bestFloorCpu),
      ratioToFloor: Math.round((bestPipelineCpu / bestFloorCpu) * 1000) / 1000,
    },
    peakRssMb: Math.round(run.peakRss / 1048576),
    alerts: run.alerts.length,
    alertsBySeverity: bySeverity,
    alertsByDetector: byDetector,
    unparsed: run.unparsed,
    stateItems: run.stateItems,
    attackShare: Math.round((stats.attackLines / stats.lines) * 1000) / 1000,
    ruleEngine: rules,
    ...(scale
      ? { scale: { heapLimitMb: args.scaleHeapMb, peakRssMb: scale.peakRssMb, curve: scale.curve } }
      : {}),
    ...(instrumentOverhead
      ? {
          instrumentOverhead: {
            calls: instrumentOverhead.calls,
            baselineUsPerCall: Math.round(instrumentOverhead.baselineMsPerCall * 1000),
            instrumentedUsPerCall: Math.round(instrumentOverhead.instrumentedMsPerCall * 1000),
            overheadUsPerCall: Math.round(instrumentOverhead.overheadUsPerCall),
            ratio: Math.round(instrumentOverhead.ratio * 100) / 100,
          },
        }
      : {}),
    ...(coldStart
      ? {
          coldStart: {
            bundleKb: coldStart.bundleKb,
            importMsMedian: coldStart.importMsMedian,
            importMsMax: coldStart.importMsMax,
            importCpuMsMedian: coldStart.importCpuMsMedian,
          },
        }
      : {}),
    ...(wrapOverhead ? { wrapOverhead } : {}),
    ...(dynamodb ? { dynamodb } : {}),
    ...(versusAtr ? { rulesVersusAtr: versusAtr } : {}),
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    log(
      `pipeline ${result.eventsPerSec.toLocaleString('en-US')} ev/s = ${result.ratioToFloor} × decode floor (${result.decodeFloorEventsPerSec.toLocaleString('en-US')} ev/s); peak RSS ${result.peakRssMb} MB`,
    );
    log(
      `per CPU second: pipeline ${result.cpu.eventsPerSec.toLocaleString('en-US')} ev/s = ${result.cpu.ratioToFloor} × decode floor (${result.cpu.decodeFloorEventsPerSec.toLocaleString('en-US')} ev/s)`,
    );
    log(
      `rules' share of the pipeline: ${rules.usPerEvent} of ${(1e6 / result.eventsPerSec).toFixed(1)} µs/event (${((100 * rules.usPerEvent * result.eventsPerSec) / 1e6).toFixed(1)} %)`,
    );
    log(
      `alerts: ${result.alerts} (${Object.entries(bySeverity)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')})`,
    );
    log(
      `by detector: ${Object.entries(byDetector)
        .sort((a, b) => b[1] - a[1])
        .map(([d, n]) => `${d} ${n}`)
        .join(', ')}`,
    );
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
