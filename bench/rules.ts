/**
 * The rule engine side by side with the agent-threat-rules package's own engine, on the same
 * events: MCP traffic from the bench generator (seeded, ~2 % attacks), normalized as the pipeline
 * does. Reports events/s, µs/event and alerting matches for
 *   - ours: one compiled RuleSet — project rules/ alone, with the ATR pack's default-on rules, and
 *     with every imported ATR rule — `RuleSet.match` per event;
 *   - ATR's: `ATREngine.evaluate` with its bundled rules, each v1 event given as the ATR event it
 *     corresponds to (a tool result → tool_response, arguments → tool_call, definitions → content).
 *
 *   npx tsx bench/rules.ts [--events N]
 */
import { readAtrPackRuleFiles } from '../functions/adapters/atr-pack.js';
import { PROJECT_RULES_DIR, readRuleFiles } from '../functions/adapters/rule-files.js';
import type { McpEvent } from '../functions/engine/events/schema.js';
import { Normalizer } from '../functions/engine/events/normalize.js';
import { compileRuleSet, type LoadedRule, type RuleSet } from '../functions/engine/rules/index.js';
import { generateTraffic } from './traffic/generator.js';

export interface RuleEngineFigures {
  readonly events: number;
  readonly rules: number;
  readonly compileMs: number;
  readonly eventsPerSecond: number;
  readonly usPerEvent: number;
  readonly matches: number;
}

export interface RulesBench {
  readonly events: number;
  readonly oursProject: RuleEngineFigures;
  readonly ours: RuleEngineFigures;
  readonly oursAllAtr: RuleEngineFigures;
  readonly atr: RuleEngineFigures;
}

function events(lines: number, seed: number): McpEvent[] {
  const normalizer = new Normalizer();
  const stats = { lines: 0, attackLines: 0, sessions: 0, attacks: {} };
  for (const line of generateTraffic({ seed, lines }, stats)) {
    normalizer.push({ message: line.message, timestamp: line.t, logGroup: line.logGroup, logStream: line.logStream });
  }
  return [...normalizer.drain(), ...normalizer.flush()].map((e) => e.event);
}

function ours(rules: readonly LoadedRule[], evs: readonly McpEvent[], includeDisabled: boolean): RuleEngineFigures {
  let t = performance.now();
  const compiled = compileRuleSet(rules, { includeDisabled });
  const compileMs = performance.now() - t;
  const set: RuleSet = compiled.ruleSet;
  let matches = 0;
  t = performance.now();
  // Matches of rules that raise alerts (correlation building blocks match most events by design).
  for (const e of evs) for (const i of set.match(e)) if (set.rules[i]?.generates === true) matches++;
  const ms = performance.now() - t;
  return figures(evs.length, set.size, compileMs, ms, matches);
}

function figures(n: number, rules: number, compileMs: number, ms: number, matches: number): RuleEngineFigures {
  return {
    events: n,
    rules,
    compileMs: Math.round(compileMs),
    eventsPerSecond: Math.round((n / ms) * 1000),
    usPerEvent: Math.round((ms * 1000) / n),
    matches,
  };
}

interface AtrEvent {
  type: 'tool_call' | 'tool_response' | 'llm_input';
  timestamp: string;
  content: string;
  fields: Record<string, string>;
}

/** The ATR event a v1 event corresponds to (what an ATR deployment would hand its engine). */
function atrEventOf(e: McpEvent): AtrEvent {
  const fields: Record<string, string> = {};
  if (typeof e.tool === 'string') fields['tool_name'] = e.tool;
  if (e.arguments !== undefined) fields['tool_args'] = JSON.stringify(e.arguments);
  const text = e.result?.text;
  if (typeof text === 'string') return { type: 'tool_response', timestamp: e.time, content: text, fields };
  if (Array.isArray(e.tools)) {
    const description = e.tools.map((t) => `${t.name}: ${typeof t.description === 'string' ? t.description : ''}`).join('\n');
    return { type: 'tool_call', timestamp: e.time, content: description, fields: { ...fields, tool_description: description } };
  }
  return { type: 'tool_call', timestamp: e.time, content: fields['tool_args'] ?? '', fields };
}

async function atr(evs: readonly McpEvent[]): Promise<RuleEngineFigures> {
  const { ATREngine } = await import('agent-threat-rules');
  let t = performance.now();
  const engine = new ATREngine({});
  // Its loader warns on stderr for every ReDoS-unsafe pattern it rejects; keep the report readable.
  const warn = console.warn;
  console.warn = () => undefined;
  const count = await engine.loadRules();
  console.warn = warn;
  const compileMs = performance.now() - t;
  const atrEvents = evs.map(atrEventOf);
  let matches = 0;
  t = performance.now();
  for (const e of atrEvents) matches += engine.evaluate(e as Parameters<typeof engine.evaluate>[0]).length;
  const ms = performance.now() - t;
  return figures(evs.length, count, compileMs, ms, matches);
}

export async function measureRules(options: { readonly events?: number; readonly seed?: number } = {}): Promise<RulesBench> {
  const evs = events(options.events ?? 1000, options.seed ?? 42);
  const project = readRuleFiles([PROJECT_RULES_DIR]).rules;
  const pack = readAtrPackRuleFiles({ rulePacks: { atr: { enabled: true } } }).rules;
  return {
    events: evs.length,
    oursProject: ours(project, evs, false),
    ours: ours([...project, ...pack], evs, false),
    oursAllAtr: ours([...project, ...pack], evs, true),
    atr: await atr(evs),
  };
}

export function describeRules(r: RulesBench): string {
  const line = (name: string, f: RuleEngineFigures): string =>
    `  ${name}: ${f.eventsPerSecond.toLocaleString('en-US')} events/s (${f.usPerEvent.toLocaleString('en-US')} µs/event), ${f.rules} rules, load+compile ${f.compileMs.toLocaleString('en-US')} ms, ${f.matches} matches`;
  return [
    `rule engines on the same ${r.events} events:`,
    line('ours, project rules (rules/, on by default)', r.oursProject),
    line('ours, project rules + ATR pack defaults', r.ours),
    line('ours, project rules + every imported ATR rule', r.oursAllAtr),
    line('agent-threat-rules ATREngine (bundled rules)', r.atr),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--events');
  const result = await measureRules(i > 0 ? { events: Number(process.argv[i + 1]) } : {});
  console.log(describeRules(result));
}
