/**
 * Finds and validates the config file. Without `--config`, `./watchtower.config.yaml` is used when
 * present, else the embedded default (every detector on, catalogue thresholds).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultEngineConfig } from '../engine/config/defaults.js';
import { loadEngineConfig } from '../engine/config/yaml-source.js';
import type { EngineConfig } from '../engine/config/schema.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_CONFIG_FILE = 'watchtower.config.yaml';

export interface LoadedConfig {
  readonly config: EngineConfig;
  /** The file read, or undefined for the embedded default. */
  readonly file?: string;
}

export function loadConfigFile(path: string | undefined): LoadedConfig {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (file === undefined) return { config: defaultEngineConfig() };
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  // Suppressions may name rules: checked against the compiled rules (engine-loader.ts).
  const result = loadEngineConfig(text, file, () => true);
  if (!result.ok) throw new UsageError(`invalid config ${file}:\n  ${result.errors.join('\n  ')}`);
  return { config: result.config, file };
}
