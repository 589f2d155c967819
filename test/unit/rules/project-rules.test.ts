/**
 * The project's own Sigma rules (top-level rules/): every inline test passes, and every rule that
 * raises alerts ships positive cases and near-misses that must stay quiet.
 */
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_RULES_DIR, readConfiguredRuleFiles, readRuleFiles } from '../../../functions/adapters/rule-files.js';
import { defaultEngineConfig } from '../../../functions/engine/config/defaults.js';
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

describe('the project rules reach every install', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));

  it('the npm package ships every file of rules/ (its "files" list once left them out)', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const packed = new Set(pack.files.map((f) => f.path));
    const ruleFiles = readRuleFiles([PROJECT_RULES_DIR]).files.map((f) => relative(root, f).split('\\').join('/'));
    expect(ruleFiles.length).toBeGreaterThanOrEqual(15);
    expect(ruleFiles.filter((f) => !packed.has(f))).toEqual([]);
  });

  it('a missing rules/ folder is an error naming the way out, not a silently empty pack', () => {
    const read = readConfiguredRuleFiles(defaultEngineConfig(), { projectDir: '/nonexistent/mcp-watchtower/rules/' });
    expect(read.rules).toEqual([]);
    expect(read.errors).toEqual([expect.objectContaining({ file: '/nonexistent/mcp-watchtower/rules/', message: expect.stringContaining('rulePacks.project.enabled: false') })]);
    const off = { ...defaultEngineConfig(), rulePacks: { ...defaultEngineConfig().rulePacks, project: { enabled: false } } };
    expect(readConfiguredRuleFiles(off, { projectDir: '/nonexistent/mcp-watchtower/rules/' }).errors).toEqual([]);
  });
});
