/**
 * The engine a handler runs: compiled once at cold start from the bundled config file
 * (WATCHTOWER_CONFIG_FILE, the JSON the CDK app writes), or from the built-in defaults when there
 * is none. An invalid config fails the init with every validation error, so a bad deploy shows up
 * at once, not as alerts that never come. JSON only: the YAML parser stays out of the bundle.
 */
import { readFileSync } from 'node:fs';
import { compileEngine, type Engine } from '../../engine/compile.js';
import { parseEngineConfig } from '../../engine/config/build.js';
import { ALL_DETECTORS } from '../../engine/detectors/registry.js';
import { compileConfiguredRules, embeddedRules } from '../../engine/rules/config-rules.js';

export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';
}

export function loadHandlerEngine(configFile: string | undefined): Engine {
  // The built-in defaults are the empty document, as in defaultEngineConfig() (config/defaults.ts,
  // which is not imported here: it also re-exports the YAML loader).
  const document = configFile === undefined ? {} : readConfigDocument(configFile);
  const result = parseEngineConfig(document, ALL_DETECTORS, () => true);
  if (!result.ok) throw new EngineConfigError(`invalid engine config ${configFile ?? '(built-in defaults)'}:\n  ${result.errors.join('\n  ')}`);
  // Sigma rules: the documents the CDK app embedded (ruleDocuments), compiled once per cold start.
  // The app compiled them at synth (infra/config/embed-rules.ts), so patterns are valid: their RE2
  // programs are compiled on first use, which keeps the ATR pack's ~2,750 patterns out of the init.
  const embedded = embeddedRules(result.config);
  const rules = compileConfiguredRules(result.config, embedded.rules, ALL_DETECTORS, embedded.errors, { lazyRegex: true });
  if (!rules.ok) throw new EngineConfigError(`invalid rules in ${configFile ?? '(built-in defaults)'}:\n  ${rules.errors.join('\n  ')}`);
  return compileEngine(result.config, ALL_DETECTORS, rules.ruleSet);
}

function readConfigDocument(configFile: string): unknown {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    throw new EngineConfigError(`cannot read engine config ${configFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EngineConfigError(`invalid engine config ${configFile}: not JSON (${(error as Error).message})`);
  }
}
