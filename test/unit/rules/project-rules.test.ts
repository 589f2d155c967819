/**
 * The project's own Sigma rules (top-level rules/): every inline test passes, and every rule that
 * raises alerts ships positive cases and near-misses that must stay quiet.
 */
import { describe, expect, it } from 'vitest';
import { PROJECT_RULES_DIR, readRuleFiles } from '../../../functions/adapters/rule-files.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';
import { runInlineTests } from '../../../functions/engine/rules/inline-tests.js';
import { compileRuleSet } from '../../../functions/engine/rules/index.js';
import { isCorrelation } from '../../../functions/engine/rules/types.js';

describe('project rules (rules/)', () => {
  const read = readRuleFiles([PROJECT_RULES_DIR]);
  const compiled = compileRuleSet(read.rules);

  it('parse and compile without errors', () => {
    expect(read.errors).toEqual([]);
    expect(compiled.errors).toEqual([]);
  });

  it('every inline test passes', async () => {
    const report = await runInlineTests(compiled.ruleSet);
    expect(report.invalid).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(report.tests);
    expect(report.rulesWithoutTests).toEqual([]);
  });

  it('ship at least 15 alerting detections, two of them correlations, none reusing a built-in id', () => {
    const alerting = compiled.ruleSet.rules.filter((r) => r.generates);
    expect(alerting.length).toBeGreaterThanOrEqual(15);
    expect(alerting.filter((r) => isCorrelation(r.doc)).length).toBeGreaterThanOrEqual(2);
    const builtIn = new Set(ALL_DETECTORS.map((d) => d.meta.id));
    for (const r of compiled.ruleSet.rules) expect(builtIn.has(r.id), r.id).toBe(false);
  });

  it('each alerting rule has positive cases and near-misses', () => {
    for (const rule of compiled.ruleSet.rules.filter((r) => r.generates)) {
      const tests = rule.doc.tests ?? [];
      expect(tests.filter((t) => t.match).length, rule.id).toBeGreaterThanOrEqual(1);
      expect(tests.filter((t) => !t.match).length, rule.id).toBeGreaterThanOrEqual(2);
    }
  });
});
