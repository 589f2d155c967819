import { ALL_DETECTORS } from '../detectors/registry.js';
import type { AnyDetector } from '../detectors/registry-types.js';
import { parseEngineConfig, parseEngineConfigText, type ConfigResult } from './build.js';
import type { EngineConfig } from './schema.js';

/** The embedded default: every detector on, in alert mode, with catalogue thresholds. */
export function defaultEngineConfig(detectors: readonly AnyDetector[] = ALL_DETECTORS): EngineConfig {
  const result = parseEngineConfig({}, detectors);
  if (!result.ok) throw new Error(`built-in defaults are invalid: ${result.errors.join('; ')}`);
  return result.config;
}

export function loadEngineConfig(text: string, source = 'config'): ConfigResult {
  return parseEngineConfigText(text, ALL_DETECTORS, source);
}
