/**
 * One `field|modifier|…: value(s)` item of a selection → a test over the event's leaves, and the
 * gate (literals one of which must occur for it to match). Values are case-insensitive (Sigma's
 * default) unless `cased`; `re` is case-sensitive unless `re|i`. Everything user-supplied that is
 * not a plain literal runs through re2js (linear time).
 */
import { RE2JS } from 're2js';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../net/ip.js';
import type { EventText } from './event-text.js';
import { fold } from './fold.js';
import { allGate, anyGate, literalGate, type Gate } from './gate.js';
import { lazyRe2Program, re2Program } from './re2-cache.js';
import { regexGate } from './regex-literals.js';

export const MODIFIERS = [
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'i',
  'm',
  's',
  'cidr',
  'base64',
  'base64offset',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
  'windash',
  'cased',
] as const;
type Modifier = (typeof MODIFIERS)[number];

/** Most characters in one value or pattern: bounds the compiled program. */
const MAX_PATTERN_CHARS = 4096;

export class RuleCompileError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export type LeafTest = (t: EventText, leaf: number) => boolean;

export interface FieldTest {
  /** Field id; -1 = every leaf of the event (keywords). */
  readonly field: number;
  readonly kind: 'values' | 'exists' | 'absent';
  readonly values: readonly LeafTest[];
  /** Every value must be matched (by some leaf), not just one. */
  readonly all: boolean;
  /** A `null` in the value list: an absent or empty field matches too. */
  readonly orAbsent: boolean;
  readonly gate: Gate;
}

interface Compiled {
  readonly test: LeafTest;
  readonly gate: Gate;
}

/** Parses `field|mod|mod`; the field may be empty (keywords with modifiers). */
export function splitKey(key: string): { field: string; modifiers: Modifier[] } {
  const [field = '', ...mods] = key.split('|');
  const modifiers: Modifier[] = [];
  for (const m of mods) {
    if (m === 'expand' || m === 'fieldref' || m === 'utf16le' || m === 'utf16be' || m === 'utf16' || m === 'wide') {
      throw new RuleCompileError(key, `modifier "${m}" is not supported`);
    }
    if (!(MODIFIERS as readonly string[]).includes(m)) throw new RuleCompileError(key, `unknown modifier "${m}" (known: ${MODIFIERS.join(', ')})`);
    if (modifiers.includes(m as Modifier)) throw new RuleCompileError(key, `modifier "${m}" given twice`);
    modifiers.push(m as Modifier);
  }
  return { field, modifiers };
}

/**
 * `keywords`: a keyword is found anywhere in a string (Sigma), so contains is implied. `lazyRegex`:
 * RE2 programs are compiled on first use instead of now (re2-cache.ts) — only for rules validated
 * before, since an invalid pattern is then reported at its first use, not here.
 */
export function compileFieldItem(key: string, raw: unknown, field: number, keywords = false, lazyRegex = false): FieldTest {
  const { modifiers } = splitKey(key);
  const has = (m: Modifier): boolean => modifiers.includes(m);
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) throw new RuleCompileError(key, 'an empty value list matches nothing');

  if (has('exists')) {
    if (modifiers.length !== 1 || typeof raw !== 'boolean') throw new RuleCompileError(key, '`exists` takes true or false and no other modifier');
    return { field, kind: raw ? 'exists' : 'absent', values: [], all: false, orAbsent: false, gate: null };
  }
  const numeric = modifiers.filter((m) => m === 'gt' || m === 'gte' || m === 'lt' || m === 'lte');
  const regex = has('re');
  const placement = modifiers.filter((m) => m === 'contains' || m === 'startswith' || m === 'endswith');
  if (placement.length > 1) throw new RuleCompileError(key, `use one of contains, startswith, endswith (got ${placement.join(', ')})`);
  if ((has('i') || has('m') || has('s')) && !regex) throw new RuleCompileError(key, 'i, m and s modify `re` only');
  if (numeric.length > 1 || (numeric.length === 1 && modifiers.length !== 1)) {
    throw new RuleCompileError(key, `${numeric.join('/')} compares numbers and takes no other modifier`);
  }
  if (regex && modifiers.some((m) => !['re', 'i', 'm', 's', 'all'].includes(m))) {
    throw new RuleCompileError(key, '`re` combines only with i, m, s and all');
  }
  if (has('cidr') && modifiers.some((m) => m !== 'cidr' && m !== 'all')) throw new RuleCompileError(key, '`cidr` takes no other modifier');
  if (has('base64') && has('base64offset')) throw new RuleCompileError(key, 'use base64 or base64offset, not both');

  const compiled: Compiled[] = [];
  let orAbsent = false;
  list.forEach((value, i) => {
    const where = list.length > 1 ? `${key}[${i}]` : key;
    if (value === null) {
      if (numeric.length > 0 || regex || has('cidr')) throw new RuleCompileError(where, 'null only checks that a field is absent or empty');
      orAbsent = true;
      return;
    }
    if (typeof value === 'object') throw new RuleCompileError(where, 'a value must be a string, number or boolean (nested maps and lists are not values)');
    if (numeric.length === 1) {
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) {
        throw new RuleCompileError(where, `${numeric[0]} needs a number, got ${JSON.stringify(value)}`);
      }
      compiled.push(numberTest(numeric[0] as 'gt', Number(value)));
      return;
    }
    const text = String(value);
    if (text.length > MAX_PATTERN_CHARS) throw new RuleCompileError(where, `a value is at most ${MAX_PATTERN_CHARS} characters`);
    if (regex) compiled.push(regexTest(where, text, has('i'), has('m'), has('s'), lazyRegex));
    else if (has('cidr')) compiled.push(cidrTest(where, text));
    else compiled.push(stringTest(text, modifiers, placement[0] ?? (keywords ? 'contains' : undefined), lazyRegex));
  });
  if (compiled.length === 0 && has('all')) throw new RuleCompileError(key, '`all` needs values');
  const all = has('all') && compiled.length > 0;
  const gates = compiled.map((c) => c.gate);
  // A null alternative matches an absent field: nothing is required then.
  const gate = orAbsent ? null : all ? allGate(gates) : anyGate(gates);
  return { field, kind: 'values', values: compiled.map((c) => c.test), all, orAbsent, gate };
}

function numberTest(op: 'gt' | 'gte' | 'lt' | 'lte', n: number): Compiled {
  const test: LeafTest =
    op === 'gt'
      ? (t, leaf) => t.number(leaf) > n
      : op === 'gte'
        ? (t, leaf) => t.number(leaf) >= n
        : op === 'lt'
          ? (t, leaf) => t.number(leaf) < n
          : (t, leaf) => t.number(leaf) <= n;
  return { test, gate: null };
}

function regexTest(key: string, pattern: string, i: boolean, m: boolean, s: boolean, lazy: boolean): Compiled {
  const flags = (i ? RE2JS.CASE_INSENSITIVE : 0) | (m ? RE2JS.MULTILINE : 0) | (s ? RE2JS.DOTALL : 0);
  let program: () => RE2JS;
  if (lazy) program = lazyRe2Program(pattern, flags);
  else {
    let re: RE2JS;
    try {
      re = re2Program(pattern, flags);
    } catch (error) {
      throw new RuleCompileError(key, `not a valid RE2 regular expression: ${(error as Error).message}`);
    }
    program = () => re;
  }
  const gate = regexGate(pattern);
  if (gate === null) return { test: (t, leaf) => program().test(t.raw[leaf] as string), gate };
  // re2js costs ~0.1 µs a character: run it only on a leaf that holds one of the literals it needs.
  const needs = gate;
  return {
    test: (t, leaf) => {
      const folded = t.folded(leaf);
      for (const literal of needs) if (folded.includes(literal)) return program().test(t.raw[leaf] as string);
      return false;
    },
    gate,
  };
}

function cidrTest(key: string, text: string): Compiled {
  const cidr: Cidr | undefined = parseCidr(text);
  if (!cidr) throw new RuleCompileError(key, `"${text}" is not a CIDR (e.g. 10.0.0.0/8)`);
  return {
    test: (t, leaf) => {
      const ip = parseIp(t.raw[leaf] as string);
      return ip !== undefined && cidrContains(cidr, ip);
    },
    gate: null,
  };
}

type Placement = 'contains' | 'startswith' | 'endswith' | undefined;

function stringTest(value: string, modifiers: readonly Modifier[], placement: Placement, lazy: boolean): Compiled {
  let variants = [value];
  if (modifiers.includes('windash')) variants = windashVariants(value);
  let cased = modifiers.includes('cased');
  let wildcards = true;
  if (modifiers.includes('base64')) {
    variants = variants.map((v) => Buffer.from(v, 'utf8').toString('base64'));
    cased = true;
    wildcards = false;
  } else if (modifiers.includes('base64offset')) {
    variants = variants.flatMap(base64OffsetVariants);
    cased = true;
    wildcards = false;
  }
  const parts = variants.map((v) => patternTest(wildcards ? parseWildcards(v) : [{ lit: v }], placement, cased, lazy));
  if (parts.length === 1) return parts[0] as Compiled;
  const tests = parts.map((p) => p.test);
  return { test: (t, leaf) => tests.some((f) => f(t, leaf)), gate: anyGate(parts.map((p) => p.gate)) };
}

type Piece = { readonly lit: string } | '*' | '?';

/** Sigma wildcards: `*` any run, `?` one character; `\*`, `\?`, `\\` escape them. */
export function parseWildcards(value: string): Piece[] {
  const pieces: Piece[] = [];
  let lit = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && (value[i + 1] === '*' || value[i + 1] === '?' || value[i + 1] === '\\')) {
      lit += value[i + 1];
      i++;
    } else if (c === '*' || c === '?') {
      if (lit !== '') pieces.push({ lit });
      lit = '';
      if (!(c === '*' && pieces[pieces.length - 1] === '*')) pieces.push(c);
    } else lit += c;
  }
  if (lit !== '') pieces.push({ lit });
  return pieces;
}

function patternTest(input: Piece[], placement: Placement, cased: boolean, lazy: boolean): Compiled {
  const pieces = [...input];
  if (placement === 'contains' || placement === 'endswith') if (pieces[0] !== '*') pieces.unshift('*');
  if (placement === 'contains' || placement === 'startswith') if (pieces[pieces.length - 1] !== '*') pieces.push('*');
  const norm = (s: string): string => (cased ? s : fold(s));
  const text = cased ? (t: EventText, leaf: number): string => t.raw[leaf] as string : (t: EventText, leaf: number): string => t.folded(leaf);
  const lits = pieces.filter((p): p is { lit: string } => typeof p === 'object').map((p) => norm(p.lit));
  const gate = allGate(lits.map((l) => literalGate(fold(l))));
  const shape = pieces.map((p) => (typeof p === 'object' ? 'L' : p)).join('');
  const only = lits[0] ?? '';
  switch (shape) {
    case '':
      return { test: (t, leaf) => text(t, leaf) === '', gate: null };
    case '*':
      return { test: () => true, gate: null };
    case 'L':
      return { test: (t, leaf) => text(t, leaf) === only, gate };
    case '*L*':
      return { test: (t, leaf) => text(t, leaf).includes(only), gate };
    case 'L*':
      return { test: (t, leaf) => text(t, leaf).startsWith(only), gate };
    case '*L':
      return { test: (t, leaf) => text(t, leaf).endsWith(only), gate };
  }
  let source = '';
  let k = 0;
  for (const p of pieces) {
    if (p === '*') source += '.*';
    else if (p === '?') source += '.';
    else source += quoteRegex(lits[k++] as string);
  }
  const anchored = `^(?:${source})$`;
  if (lazy) {
    const program = lazyRe2Program(anchored, RE2JS.DOTALL);
    return { test: (t, leaf) => program().matches(text(t, leaf)), gate };
  }
  const re = re2Program(anchored, RE2JS.DOTALL);
  return { test: (t, leaf) => re.matches(text(t, leaf)), gate };
}

function quoteRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** Sigma `windash`: a `-` starting a flag may also be written `/`, en dash, em dash or horizontal bar. */
function windashVariants(value: string): string[] {
  const out = new Set<string>([value]);
  for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) out.add(value.replace(/(^|\s)[-/]/g, `$1${dash}`));
  return [...out];
}

/** Sigma `base64offset`: the value's base64 at the three byte offsets, without the unstable edge characters. */
function base64OffsetVariants(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const start = [0, 2, 3];
  const endTrim = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const encoded = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const trim = endTrim[(bytes.length + i) % 3] as number;
    out.push(encoded.slice(start[i], trim > 0 ? encoded.length - trim : encoded.length));
  }
  return out.filter((v) => v.length > 0);
}
