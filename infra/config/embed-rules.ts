/**
 * Puts the rules a config runs into the engine config the Lambda handlers read: the rule files
 * (the project's rules/, `rules:` paths) are read and compiled here, at synth time, and their
 * parsed documents are written as `ruleDocuments`, so the handlers compile them at cold start
 * without reading files or YAML. An invalid rule fails `cdk synth`.
 */
import { readConfiguredRuleFiles } from '../../functions/adapters/rule-files.js';
import { parseEngineConfig } from '../../functions/engine/config/build.js';
import { ALL_DETECTORS } from '../../functions/engine/detectors/registry.js';
import { compileConfiguredRules } from '../../functions/engine/rules/config-rules.js';
import type { RuleDocumentEntry } from '../../functions/engine/rules/config-schema.js';

export class RuleEmbedError extends Error {
  override readonly name = 'RuleEmbedError';
}

/** `engineConfig` with `ruleDocuments` (unchanged when it already has them). */
export function withRuleDocuments(
  engineConfig: Readonly<Record<string, unknown>>,
  configDir?: string,
): Readonly<Record<string, unknown>> {
  if (engineConfig.ruleDocuments !== undefined) return engineConfig;
  const parsed = parseEngineConfig(engineConfig, ALL_DETECTORS, () => true);
  if (!parsed.ok) throw new RuleEmbedError(`invalid engine configuration\n  ${parsed.errors.join('\n  ')}`);
  const read = readConfiguredRuleFiles(parsed.config, configDir !== undefined ? { configDir } : {});
  const compiled = compileConfiguredRules(parsed.config, read.rules, ALL_DETECTORS, read.errors);
  if (!compiled.ok) throw new RuleEmbedError(`invalid rules\n  ${compiled.errors.join('\n  ')}`);
  const ruleDocuments: RuleDocumentEntry[] = read.rules.map((rule) => ({
    file: rule.file,
    index: rule.index,
    doc: JSON.parse(JSON.stringify(rule.doc)) as Record<string, unknown>,
    ...(rule.pack !== undefined ? { pack: rule.pack } : {}),
    ...(rule.defaults !== undefined ? { defaults: rule.defaults } : {}),
  }));
  return { ...engineConfig, ruleDocuments };
}
