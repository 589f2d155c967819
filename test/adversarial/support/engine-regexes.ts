/**
 * Every regular expression of the engine and of the Lambda code around it, for the ReDoS suite:
 * regex literals and `new RegExp('literal', …)` found by parsing the sources with the TypeScript
 * compiler, plus the patterns of the catalogues built at runtime (the secrets catalogue composes
 * some from strings).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { EXFILTRATION_COMMANDS } from '../../../functions/engine/text/exfiltration-commands.js';
import { FIXED_OUTPUT_PHRASES } from '../../../functions/engine/text/fixed-output-phrases.js';
import { SECRET_CATALOGUE } from '../../../functions/engine/text/secrets.js';

export interface FoundRegex {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

const ROOT = new URL('../../../', import.meta.url).pathname;
/** The code that reads untrusted input, including the instrumentation package (it parses request headers in users' servers). */
const DIRS = ['functions/engine', 'functions/adapters', 'functions/handlers', 'functions/cli', 'packages/instrument/src'];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

export function engineRegexes(): FoundRegex[] {
  const out: FoundRegex[] = [];
  for (const file of DIRS.flatMap((d) => tsFiles(join(ROOT, d)))) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const rel = relative(ROOT, file);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = (node as ts.RegularExpressionLiteral).text;
        const slash = literal.lastIndexOf('/');
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        out.push({ where: `${rel}:${line + 1}`, source: literal.slice(1, slash), flags: literal.slice(slash + 1) });
      } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        if (pattern && (ts.isStringLiteral(pattern) || ts.isNoSubstitutionTemplateLiteral(pattern))) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          out.push({ where: `${rel}:${line + 1}`, source: pattern.text, flags: flags && ts.isStringLiteral(flags) ? flags.text : '' });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  for (const format of SECRET_CATALOGUE) out.push({ where: `SECRET_CATALOGUE ${format.id}`, source: format.pattern.source, flags: format.pattern.flags });
  // Built from template strings at load, so the source scan above cannot read them.
  for (const entry of EXFILTRATION_COMMANDS) out.push({ where: `EXFILTRATION_COMMANDS ${entry.id}`, source: entry.re.source, flags: entry.re.flags });
  for (const entry of FIXED_OUTPUT_PHRASES) out.push({ where: `FIXED_OUTPUT_PHRASES ${entry.id}`, source: entry.re.source, flags: entry.re.flags });
  return out;
}

/**
 * A version of `source` the automaton checker can decide quickly, never less ambiguous than the
 * original (so "safe" for it means safe for the original): zero-width assertions (lookarounds,
 * `\b`) are dropped — they only ever cut matching paths — and counted repetition keeps its loop
 * but not its count (`X{m,n}` → `X*`/`X+`, `X{m}` → `X`), which is what makes automata explode.
 */
export function analysable(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  // Index just past the group opened at `start` (source[start] === '('), skipping classes and escapes.
  const groupEnd = (start: number): number => {
    let depth = 0;
    let inClass = false;
    for (let j = start; j < n; j++) {
      const c = source[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (inClass) {
        if (c === ']') inClass = false;
        continue;
      }
      if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
    }
    return n;
  };
  let inClass = false;
  while (i < n) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1];
      if (!inClass && (next === 'b' || next === 'B')) {
        i += 2;
        continue;
      }
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      continue;
    }
    if (c === '(' && /^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      i = groupEnd(i);
      // A quantifier on an assertion (rare) goes with it.
      const q = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i));
      if (q) i += q[0].length;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        out += max <= 1 ? (min === 0 ? '?' : '') : min === 0 ? '*' : max === min ? '' : '+';
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}
