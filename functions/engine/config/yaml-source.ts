/**
 * The config file as users write it (watchtower.config.yaml; JSON is YAML too) → a validated
 * EngineConfig. Kept apart from config/build.ts so the YAML parser is only loaded by what reads
 * YAML (the CLI, the CDK app, the docs checks), never by the Lambda handlers' bundles.
 */
import { parseDocument } from 'yaml';
import { ALL_DETECTORS } from '../detectors/registry.js';
import type { AnyDetector } from '../detectors/registry-types.js';
import { parseEngineConfig, type ConfigResult } from './build.js';

/** Parses YAML (or JSON) text; YAML syntax errors carry line and column. */
export function parseEngineConfigText(
  text: string,
  detectors: readonly AnyDetector[],
  source = 'config',
  isRuleId?: (id: string) => boolean,
): ConfigResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${source}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`;
      }),
    };
  }
  return parseEngineConfig(doc.toJS(), detectors, isRuleId);
}

/** The config file's text, validated against every registered detector. */
export function loadEngineConfig(text: string, source = 'config', isRuleId?: (id: string) => boolean): ConfigResult {
  return parseEngineConfigText(text, ALL_DETECTORS, source, isRuleId);
}
