/**
 * Reads watchtower.config.yaml for the CDK app: validates the `deployment:` section (ours) and the
 * engine sections (detectors, allowLists, …) with the engine's own validator, so a typo fails
 * `cdk synth` instead of the deployed Lambda's cold start. The engine part is passed on as written.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { parseEngineConfig } from '../../functions/engine/config/build.js';
import { ALL_DETECTORS } from '../../functions/engine/detectors/registry.js';
import { DeploymentSchema, type DeploymentConfig } from './deployment-schema.js';
import { withRuleDocuments } from './embed-rules.js';

/** The engine part of the config file: plain JSON, written into each Lambda bundle. */
export type EngineConfigJson = Readonly<Record<string, unknown>>;

export interface WatchtowerAppConfig {
  readonly deployment: DeploymentConfig;
  readonly engineConfig: EngineConfigJson;
}

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/** Splits a parsed config document into the validated deployment section and the engine config. */
export function splitConfigDocument(document: unknown, source: string, configDir?: string): WatchtowerAppConfig {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigFileError(`${source}: expected a YAML mapping at the top level`);
  }
  const { deployment, ...engineConfig } = document as Record<string, unknown>;
  if (deployment === undefined) {
    throw new ConfigFileError(`${source}: missing the \`deployment:\` section (see docs/deploy.md)`);
  }
  const parsed = DeploymentSchema.safeParse(deployment);
  if (!parsed.success) {
    throw new ConfigFileError(`${source}: invalid \`deployment:\` section\n${z.prettifyError(parsed.error)}`);
  }
  // Round-trip through JSON so only plain data (no YAML tags, dates or anchors) reaches the bundle.
  const plainEngineConfig = JSON.parse(JSON.stringify(engineConfig)) as EngineConfigJson;
  const engine = parseEngineConfig(plainEngineConfig, ALL_DETECTORS, () => true);
  if (!engine.ok) {
    throw new ConfigFileError(`${source}: invalid engine configuration\n  ${engine.errors.join('\n  ')}`);
  }
  // The rule files the config runs, parsed and checked now, embedded for the handlers.
  let withRules: EngineConfigJson;
  try {
    withRules = withRuleDocuments(plainEngineConfig, configDir);
  } catch (error) {
    throw new ConfigFileError(`${source}: ${(error as Error).message}`);
  }
  return { deployment: parsed.data, engineConfig: withRules };
}

export function loadConfigFile(path: string): WatchtowerAppConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigFileError(`${path}: not valid YAML: ${(error as Error).message}`);
  }
  return splitConfigDocument(document, path, dirname(resolve(path)));
}
