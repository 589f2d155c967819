/**
 * Reads Sigma rule files from disk: files or folders (every *.yml / *.yaml below, in name order),
 * the project's rules/ folder, and the paths a config lists (relative to the config file). Used by
 * the CLI and by the CDK app, which embeds the parsed documents in the Lambda's config.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineConfig } from '../engine/config/schema.js';
import { parseRuleFile } from '../engine/rules/rule-file.js';
import type { LoadedRule, RuleError } from '../engine/rules/types.js';
import { readAtrPackRuleFiles } from './atr-pack.js';

/** The project's own rules (top-level rules/ folder of the package). */
export const PROJECT_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/** Most rule files read from one folder tree (a wrong path such as `/` must not read the disk). */
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 1_048_576;

export interface RuleFiles {
  readonly rules: LoadedRule[];
  readonly errors: RuleError[];
  readonly files: string[];
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

function listRuleFiles(path: string, out: string[], errors: RuleError[]): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    errors.push({ file: display(path), message: 'no such rule file or folder' });
    return;
  }
  if (stat.isFile()) {
    out.push(path);
    return;
  }
  if (!stat.isDirectory()) return;
  const walk = (dir: string, depth: number): void => {
    if (depth > 8) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_FILES) return;
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(full);
    }
  };
  walk(path, 0);
}

/** Reads and parses the rule files at `paths` (files or folders). */
export function readRuleFiles(paths: readonly string[], options: { readonly pack?: string; readonly defaults?: LoadedRule['defaults'] } = {}): RuleFiles {
  const files: string[] = [];
  const errors: RuleError[] = [];
  for (const p of paths) listRuleFiles(resolve(p), files, errors);
  const rules: LoadedRule[] = [];
  for (const file of files) {
    const name = display(file);
    let text: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) {
        errors.push({ file: name, message: `a rule file is at most ${MAX_FILE_BYTES} bytes` });
        continue;
      }
      text = readFileSync(file, 'utf8');
    } catch (error) {
      errors.push({ file: name, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      continue;
    }
    const parsed = parseRuleFile(text, name);
    for (const rule of parsed.rules) {
      rules.push({ ...rule, ...(options.pack !== undefined ? { pack: options.pack } : {}), ...(options.defaults !== undefined ? { defaults: options.defaults } : {}) });
    }
    if (!parsed.ok) errors.push(...parsed.errors);
  }
  return { rules, errors, files: files.map(display) };
}

export interface ConfiguredRuleSources {
  /** The config file's folder: `rules:` paths are relative to it. @default the working directory */
  readonly configDir?: string;
  /** Extra paths (`--rules`), relative to the working directory. */
  readonly extraPaths?: readonly string[];
  /** @default PROJECT_RULES_DIR */
  readonly projectDir?: string;
}

/** Every rule file a config runs: the project's rules/ (unless rulePacks.project.enabled is false), `rules:` and extra paths. */
export function readConfiguredRuleFiles(config: EngineConfig, sources: ConfiguredRuleSources = {}): RuleFiles {
  const out: RuleFiles = { rules: [], errors: [], files: [] };
  const add = (r: RuleFiles): void => {
    out.rules.push(...r.rules);
    out.errors.push(...r.errors);
    out.files.push(...r.files);
  };
  const project = config.rulePacks.project;
  const projectDir = sources.projectDir ?? PROJECT_RULES_DIR;
  if (project?.enabled !== false) {
    // A missing folder is an error, not an empty pack: running without the project's detections
    // must be a choice (an install that left rules/ out once dropped them silently).
    if (existsSync(projectDir)) add(readRuleFiles([projectDir], project?.mode !== undefined ? { defaults: { mode: project.mode } } : {}));
    else out.errors.push({ file: projectDir, message: "the project's rules folder is missing; reinstall the package, or set rulePacks.project.enabled: false to run without it" });
  }
  add(readAtrPackRuleFiles(config));
  const base = sources.configDir ?? process.cwd();
  const own = config.rules.map((p) => (isAbsolute(p) ? p : resolve(base, p)));
  add(readRuleFiles([...own, ...(sources.extraPaths ?? []).map((p) => resolve(p))]));
  return out;
}

export function configDirOf(file: string | undefined): string | undefined {
  return file === undefined ? undefined : dirname(resolve(file));
}
