/**
 * The Sigma rule engine alone: µs per event for the default rule set (the project's rules/ and
 * whatever packs the default config enables) over the bench traffic, matching and correlations
 * included (RuleSet.evaluate with an in-memory StateView), and the same events against a
 * synthetic set of 1,000 rules (literals, wildcards and regexes) to show the prefilter keeps the
 * cost flat as rules are added. Events are decoded and normalized before timing.
 */
import { readConfiguredRuleFiles } from '../functions/adapters/rule-files.js';
import type { EngineConfig } from '../functions/engine/config/schema.js';
import { ALL_DETECTORS } from '../functions/engine/detectors/registry.js';
import { decodeCloudWatchData, recordsOf } from '../functions/engine/events/cloudwatch.js';
import type { EngineEvent } from '../functions/engine/events/engine-event.js';
import { Normalizer } from '../functions/engine/events/normalize.js';
import { compileConfiguredRules } from '../functions/engine/rules/config-rules.js';
import { compileRuleSet, type RuleSet } from '../functions/engine/rules/rule-set.js';
import type { LoadedRule, SigmaDetectionRule } from '../functions/engine/rules/types.js';
import { MemoryStateStore } from '../functions/engine/state/memory-store.js';
import type { PackedPayload } from './traffic/pack.js';

export interface RuleEngineCost {
  readonly rules: number;
  readonly literals: number;
  readonly ungated: number;
  readonly usPerEvent: number;
  readonly synthetic: { readonly rules: number; readonly literals: number; readonly ungated: number; readonly usPerEvent: number };
}

/** The rule set a config runs (project rules/, config rules, enabled packs). */
export function defaultRuleSet(config: EngineConfig): RuleSet {
  const read = readConfiguredRuleFiles(config);
  const compiled = compileConfiguredRules(config, read.rules, ALL_DETECTORS, read.errors);
  if (!compiled.ok) throw new Error(`default rules do not compile:\n  ${compiled.errors.join('\n  ')}`);
  return compiled.ruleSet;
}

const WORDS = ['ignore', 'previous', 'instructions', 'system', 'prompt', 'exfiltrate', 'password', 'token', 'curl', 'wget', 'base64', 'eval', 'secret', 'admin', 'delete', 'drop', 'table', 'union', 'select', 'shadow', 'passwd', 'http', 'send', 'email', 'forward', 'override', 'assistant', 'developer', 'hidden', 'invisible'];
const FIELDS = ['result.text', 'arguments', 'tool', 'tools.description', 'arguments.query'];

/** 1,000 rules shaped like a community pack: phrases, wildcards and regexes over content fields. */
export function syntheticRules(count = 1000): LoadedRule[] {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const word = (): string => WORDS[rnd(WORDS.length)] as string;
  return Array.from({ length: count }, (_, i) => {
    const field = FIELDS[rnd(FIELDS.length)] as string;
    const kind = rnd(3);
    const selection =
      kind === 0
        ? { [`${field}|contains`]: [`${word()} ${word()} ${i}`, `${word()}-${word()}-${i}`] }
        : kind === 1
          ? { [`${field}|contains|all`]: [`${word()}${i}`, word()] }
          : { [`${field}|re|i`]: `${word()}\\s+(?:${word()}|${word()})\\s*${i}\\b` };
    const doc = { title: `synthetic ${i}`, id: `SYN-${i}`, detection: { selection, condition: 'selection' } } as unknown as SigmaDetectionRule;
    return { file: 'synthetic.yml', index: i, doc };
  });
}

function eventsOf(payloads: readonly PackedPayload[]): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (const p of payloads) {
    const normalizer = new Normalizer();
    for (const r of recordsOf(decodeCloudWatchData(p.data))) normalizer.push(r);
    out.push(...normalizer.drain(), ...normalizer.flush());
  }
  return out;
}

async function usPerEvent(set: RuleSet, events: readonly EngineEvent[], rounds: number): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const store = new MemoryStateStore();
    const txn = await store.begin(`bench-rules-${round}`, events[events.length - 1]?.ts ?? 0);
    const view = txn.view;
    let findings = 0;
    const report = (): void => void findings++;
    const start = process.hrtime.bigint();
    for (const ev of events) set.evaluate(ev, view, report, () => undefined);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000 / events.length);
  }
  return Math.round(best * 100) / 100;
}

export async function measureRuleEngine(config: EngineConfig, payloads: readonly PackedPayload[], rounds = 3): Promise<RuleEngineCost> {
  const events = eventsOf(payloads);
  const set = defaultRuleSet(config);
  const synthetic = compileRuleSet(syntheticRules()).ruleSet;
  return {
    rules: set.size,
    literals: set.literalCount,
    ungated: set.ungatedCount,
    usPerEvent: await usPerEvent(set, events, rounds),
    synthetic: { rules: synthetic.size, literals: synthetic.literalCount, ungated: synthetic.ungatedCount, usPerEvent: await usPerEvent(synthetic, events, rounds) },
  };
}
