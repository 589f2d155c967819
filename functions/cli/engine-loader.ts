/**
 * The engine a CLI command runs: the config file (config-file.ts), the rule files it names (the
 * project's rules/, `rules:`, `--rules`) compiled with `ruleSettings`. An invalid rule is a config
 * error (exit 2) naming the file, the rule and the key.
 */
import { configDirOf, readConfiguredRuleFiles } from '../adapters/rule-files.js';
import { compileEngine, type Engine } from '../engine/compile.js';
import type { EngineConfig } from '../engine/config/schema.js';
import { ALL_DETECTORS } from '../engine/detectors/registry.js';
import { compileConfiguredRules } from '../engine/rules/config-rules.js';
import { loadConfigFile } from './config-file.js';
import { UsageError } from './usage-error.js';

export interface CliEngine {
  readonly engine: Engine;
  readonly config: EngineConfig;
  /** The config file read, undefined for the built-in defaults. */
  readonly file?: string;
  readonly ruleFiles: readonly string[];
  readonly warnings: readonly string[];
}

export function loadCliEngine(options: { readonly config?: string; readonly rules?: readonly string[] }): CliEngine {
  const { config, file } = loadConfigFile(options.config);
  const configDir = configDirOf(file);
  const read = readConfiguredRuleFiles(config, { ...(configDir !== undefined ? { configDir } : {}), extraPaths: options.rules ?? [] });
  // Your rules and the project's are compiled now (an invalid pattern is a config error); a pack's
  // (the generated ATR pack, validated when it was built) compile each pattern on first use.
  const rules = compileConfiguredRules(config, read.rules, ALL_DETECTORS, read.errors, { lazyRegex: 'packs' });
  if (!rules.ok) throw new UsageError(`invalid ${file !== undefined ? `config ${file}` : 'rules'}:\n  ${rules.errors.join('\n  ')}`);
  return {
    engine: compileEngine(config, ALL_DETECTORS, rules.ruleSet),
    config,
    ...(file !== undefined ? { file } : {}),
    ruleFiles: read.files,
    warnings: rules.warnings,
  };
}
