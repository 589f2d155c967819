import { ALL_DETECTORS } from '../detectors/registry.js';
import type { AnyDetector } from '../detectors/registry-types.js';
import { parseEngineConfig } from './build.js';
import type { EngineConfig } from './schema.js';

// YAML text → config lives in yaml-source.ts; re-exported for existing callers. Because of this
// re-export the Lambda handlers do not import this module (yaml is CommonJS: esbuild cannot drop it).
export { loadEngineConfig } from './yaml-source.js';

/** The embedded default: every detector on, in alert mode, with catalogue thresholds. */
export function defaultEngineConfig(detectors: readonly AnyDetector[] = ALL_DETECTORS): EngineConfig {
  const result = parseEngineConfig({}, detectors);
  if (!result.ok) throw new Error(`built-in defaults are invalid: ${result.errors.join('; ')}`);
  return result.config;
}
