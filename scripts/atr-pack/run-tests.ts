/**
 * Runs each converted ATR rule's own test cases (true/false positives from its YAML file) through
 * our rule engine: the rule is validated and compiled alone, then every test event goes through
 * `RuleSet.match`. Used by the pack generator and by the pack's vitest test.
 */
import type { AtrSigmaDocument } from '../../functions/engine/rules/packs/atr/convert.js';
import { compileRuleSet, validateRuleDocument, type LoadedRule, type RuleSet } from '../../functions/engine/rules/index.js';
import type { AtrSourceEntry } from './read-atr-rules.js';

export interface AtrTestRun {
  readonly id: string;
  readonly file: string;
  readonly doc: AtrSigmaDocument;
  /** Set when the document does not validate or compile. */
  readonly error?: string;
  readonly cases: number;
  readonly passed: number;
  /** Names of the failing cases (`tp-2: …`). */
  readonly failures: readonly string[];
  readonly ruleSet?: RuleSet;
}

const TEST_DEFAULTS = { v: 1, time: '2026-11-24T10:00:00.000Z', server: { name: 'atr-test' } } as const;

/** The document as a LoadedRule of the pack, without its tests. */
export function packRule(doc: AtrSigmaDocument, file: string): { rule?: LoadedRule; error?: string } {
  const { tests: _tests, ...withoutTests } = doc;
  const v = validateRuleDocument(withoutTests, file, 0);
  if (!v.rule) return { error: v.errors.map((e) => `${e.key ?? ''} ${e.message}`.trim()).join('; ') };
  return { rule: { ...v.rule, pack: 'atr' } };
}

export function runAtrTests(entry: AtrSourceEntry): AtrTestRun | undefined {
  const c = entry.converted;
  if (c.state === 'disabled') return undefined;
  const base = { id: c.id, file: entry.file, doc: c.doc, cases: c.doc.tests.length };
  const { rule, error } = packRule(c.doc, entry.file);
  if (!rule) return { ...base, error: `invalid: ${error}`, passed: 0, failures: [] };
  const compiled = compileRuleSet([rule], { includeDisabled: true });
  if (!compiled.ok) return { ...base, error: `compile: ${compiled.errors.map((e) => `${e.key ?? ''} ${e.message}`).join('; ')}`, passed: 0, failures: [] };
  const ruleSet = compiled.ruleSet;
  const failures: string[] = [];
  let passed = 0;
  for (const test of c.doc.tests) {
    const fired = ruleSet.match({ ...TEST_DEFAULTS, ...test.event }).length > 0;
    if (fired === test.match) passed++;
    else failures.push(test.name);
  }
  return { ...base, passed, failures, ruleSet };
}
