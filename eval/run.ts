/**
 * `npm run eval`: scores the built-in detectors on labelled corpora (eval/corpora.ts). Each sample
 * becomes one v1 event in its natural place — an injected result as `result.text` of a fetch/read
 * tool, a poisoned description as a `mcp.tools` definition, an argument payload as a string argument
 * of a plausible tool — and runs through the real engine (compileEngine + runBatch, in-memory state,
 * fresh state per sample so samples never see each other).
 *
 * Reports recall per attack class at severity low+ and the false-positive rate at medium+ per benign
 * corpus, on the dev split by default. Options:
 *   --split dev|heldout|all   which part of every corpus (a stable 70/30 hash split; look at heldout last)
 *   --class P                 only samples of one placement: results|descriptions|arguments (short iterations)
 *   --misses N                print up to N missed attacks per class (dev split only)
 *   --fps N                   print up to N false positives per benign corpus
 *   --hints N                 print up to N benign samples with a low-severity finding only (dev split only)
 *   --json FILE               also write the figures as JSON
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Severity } from '../functions/engine/alerts/severity.js';
import { atLeast } from '../functions/engine/alerts/severity.js';
import type { Alert } from '../functions/engine/alerts/alert.js';
import type { AlertSink } from '../functions/engine/alerts/sink.js';
import { loadCliEngine } from '../functions/cli/engine-loader.js';
import { compileEngine } from '../functions/engine/compile.js';
import { parseEngineConfig } from '../functions/engine/config/build.js';
import { ALL_DETECTORS } from '../functions/engine/detectors/registry.js';
import type { EngineEvent } from '../functions/engine/events/engine-event.js';
import type { McpEvent } from '../functions/engine/events/schema.js';
import { runBatch } from '../functions/engine/pipeline.js';
import { MemoryStateStore } from '../functions/engine/state/memory-store.js';
import { allSamples, splitOf, type Placement, type Sample } from './corpora.js';

const TIME = Date.parse('2026-11-24T10:00:00.000Z');

function pick<T>(list: readonly T[], text: string): T {
  const h = createHash('sha1').update(text).digest();
  return list[(h[0] as number) % list.length] as T;
}

const RESULT_TOOLS: ReadonlyArray<{ tool: string; args: Record<string, string> }> = [
  { tool: 'fetch_url', args: { url: 'https://docs.example.com/guide' } },
  { tool: 'read_email', args: { id: 'msg-1042' } },
  { tool: 'get_issue', args: { repo: 'acme/web', number: '418' } },
];
const DEFINITION_NAMES = ['search_notes', 'get_forecast', 'convert_units', 'summarize_page'];
const ARG_TOOLS: Record<NonNullable<Sample['toolKind']>, ReadonlyArray<{ tool: string; key: string }>> = {
  neutral: [
    { tool: 'lookup_customer', key: 'name' },
    { tool: 'get_order', key: 'reference' },
    { tool: 'update_profile', key: 'display_name' },
  ],
  render: [
    { tool: 'create_page', key: 'title' },
    { tool: 'post_comment', key: 'author' },
  ],
  shell: [{ tool: 'run_command', key: 'command' }],
  sql: [{ tool: 'run_sql', key: 'query' }],
  search: [{ tool: 'search_docs', key: 'query' }],
};

export function eventOf(sample: Sample, index: number): EngineEvent {
  const base = {
    v: 1 as const,
    time: new Date(TIME).toISOString(),
    server: { name: 'eval-server', version: '1.0.0' },
    session: `eval-${index}`,
    transport: 'streamable-http' as const,
    principal: { sub: 'eval-user', tokenPresent: true },
  };
  let event: McpEvent;
  if (sample.placement === 'results') {
    const t = pick(RESULT_TOOLS, sample.text);
    event = { ...base, event: 'mcp.call', rpc: { id: 1, method: 'tools/call' }, tool: t.tool, arguments: t.args, result: { isError: false, text: sample.text, bytes: sample.text.length } } as McpEvent;
  } else if (sample.placement === 'descriptions') {
    const name = pick(DEFINITION_NAMES, sample.text);
    event = {
      ...base,
      event: 'mcp.tools',
      rpc: { id: 1, method: 'tools/list' },
      tools: [{ name, description: sample.text, inputSchema: { type: 'object', properties: { input: { type: 'string', description: 'The input.' } } } }],
    } as McpEvent;
  } else {
    const t = pick(ARG_TOOLS[sample.toolKind ?? 'neutral'], sample.text);
    event = { ...base, event: 'mcp.call', rpc: { id: 1, method: 'tools/call' }, tool: t.tool, arguments: { [t.key]: sample.text }, result: { isError: false, text: 'ok', bytes: 2 } } as McpEvent;
  }
  return { event, ts: TIME, origin: { format: 'canonical' } };
}

class NullSink implements AlertSink {
  async publish(_alert: Alert): Promise<void> {}
}

export interface Verdict {
  readonly sample: Sample;
  /** Highest severity raised, or undefined. */
  readonly severity: Severity | undefined;
  readonly detectors: readonly string[];
}

/**
 * Without `configFile`: the built-in detectors on the embedded defaults. With it: the engine as the CLI
 * builds it from that config (its rule files, `rulePacks`), e.g. examples/watchtower.config.yaml for
 * the project rules and the ATR pack.
 */
export async function evaluate(samples: readonly Sample[], configFile?: string): Promise<Verdict[]> {
  let engine;
  if (configFile !== undefined) {
    engine = loadCliEngine({ config: configFile }).engine;
  } else {
    const parsed = parseEngineConfig({}, ALL_DETECTORS);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    engine = compileEngine(parsed.config);
  }
  const sink = new NullSink();
  const out: Verdict[] = [];
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i] as Sample;
    const outcome = await runBatch(engine, { batchId: `eval-${i}`, events: [eventOf(sample, i)] }, { store: new MemoryStateStore(), sink });
    let severity: Severity | undefined;
    const detectors = new Set<string>();
    for (const f of outcome.findingList) {
      // A detector or rule in shadow mode records its findings but raises no alert: not a detection.
      if (f.compiled.shadow) continue;
      detectors.add(f.compiled.detector.meta.id);
      if (severity === undefined || atLeast(f.finding.severity, severity)) severity = f.finding.severity;
    }
    out.push({ sample, severity, detectors: [...detectors] });
  }
  return out;
}

interface Row {
  readonly name: string;
  readonly n: number;
  readonly hits: number;
  readonly rate: number;
}

function rows(verdicts: readonly Verdict[], key: (v: Verdict) => string, hit: (v: Verdict) => boolean): Row[] {
  const groups = new Map<string, Verdict[]>();
  for (const v of verdicts) groups.set(key(v), [...(groups.get(key(v)) ?? []), v]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => {
      const hits = list.filter(hit).length;
      return { name, n: list.length, hits, rate: list.length ? hits / list.length : 0 };
    });
}

const detectedLow = (v: Verdict): boolean => v.severity !== undefined && atLeast(v.severity, 'low');
const alertMedium = (v: Verdict): boolean => v.severity !== undefined && atLeast(v.severity, 'medium');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function show(title: string, list: Row[]): void {
  console.log(`\n${title}`);
  for (const r of list) console.log(`  ${r.name.padEnd(34)} ${String(r.hits).padStart(5)} / ${String(r.n).padEnd(5)} ${r.rate.toFixed(3)}`);
}

async function main(): Promise<void> {
  const split = arg('split') ?? 'dev';
  if (!['dev', 'heldout', 'all'].includes(split)) throw new Error('--split dev|heldout|all');
  const started = Date.now();
  const only = arg('class');
  if (only !== undefined && !['results', 'descriptions', 'arguments'].includes(only)) throw new Error('--class results|descriptions|arguments');
  const samples = allSamples().filter((s) => (split === 'all' || splitOf(s) === split) && (only === undefined || s.placement === only));
  const verdicts = await evaluate(samples, arg('config'));
  const attacks = verdicts.filter((v) => v.sample.attack);
  const benign = verdicts.filter((v) => !v.sample.attack);
  const perClass = rows(attacks, (v) => v.sample.placement, detectedLow);
  const perClassCorpus = rows(attacks, (v) => `${v.sample.placement} (${v.sample.corpus})`, detectedLow);
  const fpCorpus = rows(benign, (v) => `${v.sample.placement} (${v.sample.corpus})`, alertMedium);
  const fpClass = rows(benign, (v) => v.sample.placement, alertMedium);
  const readme = rows(benign.filter((v) => v.sample.corpus === 'readme'), () => 'readme chunks', alertMedium);
  console.log(`mcp-watchtower eval — split ${split}, ${samples.length} samples, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  show('Recall per attack class (any alert at severity low+):', perClass);
  show('  … per corpus:', perClassCorpus);
  if (process.argv.includes('--by-category'))
    show('  … per ATR category:', rows(attacks.filter((v) => v.sample.corpus === 'atr'), (v) => `${v.sample.placement} ${v.sample.source.split(':')[0]}`, detectedLow));
  show('False-positive rate per benign counterpart (alert at medium+):', fpClass);
  show('  … per corpus:', fpCorpus);
  show('README chunks raising a medium+ alert:', readme);
  // Not a target, shown so nobody mistakes low-severity hints for silence.
  show('Benign samples with a low+ finding (hints included):', rows(benign, (v) => `${v.sample.placement} (${v.sample.corpus})`, detectedLow));
  const fpDetectors = new Map<string, number>();
  for (const v of benign.filter(alertMedium)) for (const d of v.detectors) fpDetectors.set(d, (fpDetectors.get(d) ?? 0) + 1);
  if (fpDetectors.size > 0) console.log(`\nFalse positives by detector: ${[...fpDetectors].map(([d, n]) => `${d} ${n}`).join(', ')}`);

  const misses = Number(arg('misses') ?? 0);
  if (misses > 0) {
    if (split !== 'dev') throw new Error('--misses only on the dev split (keep the held-out split unseen)');
    for (const placement of ['results', 'descriptions', 'arguments'] as Placement[]) {
      if (only !== undefined && placement !== only) continue;
      console.log(`\nMissed (${placement}):`);
      for (const v of attacks.filter((x) => x.sample.placement === placement && !detectedLow(x)).slice(0, misses))
        console.log(`  [${v.sample.source}] ${JSON.stringify(v.sample.text.slice(0, 220))}`);
    }
  }
  const fps = Number(arg('fps') ?? 0);
  if (fps > 0) {
    for (const v of benign.filter(alertMedium).slice(0, fps))
      console.log(`  FP ${v.detectors.join(',')} [${v.sample.corpus} ${v.sample.source}] ${JSON.stringify(v.sample.text.slice(0, 300))}`);
  }
  const hints = Number(arg('hints') ?? 0);
  if (hints > 0) {
    if (split !== 'dev') throw new Error('--hints only on the dev split (keep the held-out split unseen)');
    for (const v of benign.filter((x) => detectedLow(x) && !alertMedium(x)).slice(0, hints))
      console.log(`  HINT ${v.detectors.join(',')} [${v.sample.corpus} ${v.sample.source}] ${JSON.stringify(v.sample.text.slice(0, 300))}`);
  }
  const json = arg('json');
  if (json) writeFileSync(json, JSON.stringify({ split, samples: samples.length, recall: perClass, recallByCorpus: perClassCorpus, falsePositives: fpClass, falsePositivesByCorpus: fpCorpus, readme }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
