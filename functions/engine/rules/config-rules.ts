/**
 * The rules an engine config runs: documents (read from files by the CLI, embedded by the CDK app
 * as `ruleDocuments`) compiled with `ruleSettings`, and the config's references to rule ids
 * checked against them. Pure: no files here (see functions/adapters/rule-files.ts).
 */
import type { EngineConfig } from '../config/schema.js';
import type { AnyDetector } from '../detectors/registry-types.js';
import { validateRuleDocument } from './rule-schema.js';
import { compileRuleSet, type RuleSet } from './rule-set.js';
import { formatRuleError, type LoadedRule, type RuleError } from './types.js';

export type ConfiguredRules = { readonly ok: true; readonly ruleSet: RuleSet; readonly warnings: readonly string[] } | { readonly ok: false; readonly errors: readonly string[] };

/** The documents the CDK app embedded in the config (`ruleDocuments`), validated again. */
export function embeddedRules(config: EngineConfig): { rules: LoadedRule[]; errors: RuleError[] } {
  const rules: LoadedRule[] = [];
  const errors: RuleError[] = [];
  for (const entry of config.ruleDocuments ?? []) {
    const result = validateRuleDocument(entry.doc, entry.file, entry.index);
    if (result.rule) {
      rules.push({
        ...result.rule,
        ...(entry.pack !== undefined ? { pack: entry.pack } : {}),
        ...(entry.defaults !== undefined ? { defaults: entry.defaults } : {}),
      });
    }
    errors.push(...result.errors);
  }
  return { rules, errors };
}

/**
 * Compiles `rules` with the config's per-rule settings and checks the config's references:
 * suppressions naming a detector that is neither built in nor a rule are errors; ruleSettings for
 * rules that are not loaded are warnings (a pack may be switched off).
 */
export function compileConfiguredRules(
  config: EngineConfig,
  rules: readonly LoadedRule[],
  detectors: readonly AnyDetector[],
  loadErrors: readonly RuleError[] = [],
  options: { readonly lazyRegex?: boolean | 'packs' } = {},
): ConfiguredRules {
  const compiled = compileRuleSet(rules, { settings: config.ruleSettings, ...(options.lazyRegex !== undefined ? { lazyRegex: options.lazyRegex } : {}) });
  const errors = [...loadErrors, ...compiled.errors].map(formatRuleError);
  const ruleIds = new Set(rules.map((r) => r.doc.id));
  const builtIn = new Set(detectors.map((d) => d.meta.id));
  config.suppressions.forEach((s, i) => {
    if (s.detector !== undefined && !builtIn.has(s.detector) && !ruleIds.has(s.detector)) {
      errors.push(`suppressions[${i}].detector: unknown detector or rule "${s.detector}"`);
    }
  });
  for (const id of Object.keys(config.ruleSettings)) {
    if (builtIn.has(id)) errors.push(`ruleSettings.${id}: "${id}" is a built-in detector; set it under detectors.${id}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  const warnings = Object.keys(config.ruleSettings)
    .filter((id) => !ruleIds.has(id))
    .map((id) => `ruleSettings.${id}: no loaded rule has this id`);
  return { ok: true, ruleSet: compiled.ruleSet, warnings };
}
