/**
 * Reads the ATR rule files shipped in the `agent-threat-rules` npm package and converts each one.
 * Used at build/docs time (scripts/generate-atr-pack.ts) and by the pack's test; the runtime loads
 * the generated compact pack instead of 12 MB of YAML.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { readAtrRule, type AtrRule } from '../../functions/engine/rules/packs/atr/atr-rule.js';
import { convertAtrRule, type ConvertedAtrRule } from '../../functions/engine/rules/packs/atr/convert.js';

export interface AtrSourceEntry {
  /** Path relative to the package's rules/ folder. */
  readonly file: string;
  readonly rule?: AtrRule;
  readonly converted: ConvertedAtrRule;
}

/** The installed package's folder and version. */
export function atrPackage(): { readonly dir: string; readonly version: string } {
  // The package's exports hide package.json; look it up along Node's module search paths.
  const paths = createRequire(import.meta.url).resolve.paths('agent-threat-rules') ?? [];
  const pkgJson = paths.map((p) => join(p, 'agent-threat-rules', 'package.json')).find((p) => existsSync(p));
  if (!pkgJson) throw new Error('agent-threat-rules is not installed (npm ci)');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { dir: dirname(pkgJson), version };
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** Every rule file of the package, converted (a file that does not parse is a disabled entry). */
export function readAtrRules(rulesDir = join(atrPackage().dir, 'rules')): AtrSourceEntry[] {
  const entries: AtrSourceEntry[] = [];
  for (const path of yamlFiles(rulesDir)) {
    const file = relative(rulesDir, path);
    const fallbackId = /(ATR-\d{4}-\d{5})/.exec(file)?.[1] ?? file;
    let doc: unknown;
    try {
      doc = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      const detail = `YAML does not parse: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
      entries.push({ file, converted: { id: fallbackId, title: file, state: 'disabled', reason: 'invalid', detail, dropped: [] } });
      continue;
    }
    const read = readAtrRule(doc);
    if ('problem' in read) {
      entries.push({ file, converted: { id: read.id ?? fallbackId, title: file, state: 'disabled', reason: 'invalid', detail: read.problem, dropped: [] } });
      continue;
    }
    entries.push({ file, rule: read.rule, converted: convertAtrRule(read.rule) });
  }
  return entries;
}
