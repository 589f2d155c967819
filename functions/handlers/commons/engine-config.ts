/**
 * The engine a handler runs: compiled once at cold start from the bundled config file
 * (WATCHTOWER_CONFIG_FILE), or from the built-in defaults when there is none. An invalid config
 * fails the init with every validation error, so a bad deploy shows up at once, not as alerts
 * that never come.
 */
import { readFileSync } from 'node:fs';
import { compileEngine, type Engine } from '../../engine/compile.js';
import { defaultEngineConfig, loadEngineConfig } from '../../engine/config/defaults.js';

export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';
}

export function loadHandlerEngine(configFile: string | undefined): Engine {
  if (configFile === undefined) return compileEngine(defaultEngineConfig());
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    throw new EngineConfigError(`cannot read engine config ${configFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const result = loadEngineConfig(text, configFile);
  if (!result.ok) throw new EngineConfigError(`invalid engine config ${configFile}:\n  ${result.errors.join('\n  ')}`);
  return compileEngine(result.config);
}
