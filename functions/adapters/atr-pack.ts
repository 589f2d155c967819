/**
 * Loads the generated ATR pack (functions/engine/rules/packs/atr/atr-pack.json) when the config
 * enables it (`rulePacks: { atr: { enabled: true, mode? } }`). Read from disk by the CLI and by the
 * CDK app (which embeds the documents in the Lambda's config as `ruleDocuments`), so the Lambda
 * bundle carries no ATR data and the YAML of the npm package is never read at run time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineConfig } from '../engine/config/schema.js';
import { atrPackRules, type AtrPack } from '../engine/rules/packs/atr/pack.js';
import type { LoadedRule, RuleError } from '../engine/rules/types.js';

export const ATR_PACK_PATH = fileURLToPath(new URL('../engine/rules/packs/atr/atr-pack.json', import.meta.url));

let cached: { path: string; pack: AtrPack } | undefined;

/** The generated pack (parsed once per process). */
export function readAtrPack(path = ATR_PACK_PATH): AtrPack {
  if (cached?.path === path) return cached.pack;
  const pack = JSON.parse(readFileSync(path, 'utf8')) as AtrPack;
  if (!Array.isArray(pack.rules) || typeof pack.version !== 'string') throw new Error(`${path} is not an ATR pack (run npm run atr-pack)`);
  cached = { path, pack };
  return pack;
}

/** The pack's rules when `rulePacks.atr.enabled` is true, else none. */
export function readAtrPackRuleFiles(config: Pick<EngineConfig, 'rulePacks'>, path = ATR_PACK_PATH): { rules: LoadedRule[]; errors: RuleError[]; files: string[] } {
  const atr = config.rulePacks.atr;
  if (atr?.enabled !== true) return { rules: [], errors: [], files: [] };
  try {
    const pack = readAtrPack(path);
    return { rules: atrPackRules(pack, atr.mode), errors: [], files: [`agent-threat-rules@${pack.version} (${pack.rules.length} rules)`] };
  } catch (error) {
    return { rules: [], errors: [{ file: path, message: `cannot read the ATR pack: ${(error as Error).message}` }], files: [] };
  }
}
