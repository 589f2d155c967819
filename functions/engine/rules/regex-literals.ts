/**
 * Literals a regular expression cannot match without: one of the returned strings (folded) occurs
 * in every text the pattern matches. Conservative — any construct it does not fully understand
 * makes it answer `null` (nothing known), because a wrong literal would let the prefilter hide a
 * match. Only ASCII characters are taken into literals, so RE2's case folding (which matches `ſ`
 * for `s` and `K` for `k`) agrees with fold().
 */
import { fold } from './fold.js';
import { allGate, anyGate, literalGate, type Gate } from './gate.js';

/** Thrown (a plain object: no stack trace to capture) when the parser meets what it does not understand. */
const UNSUPPORTED = { unsupported: true } as const;

interface Quantifier {
  readonly min: number;
}

class Parser {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): Gate {
    const gate = this.alternation();
    if (this.i < this.p.length) throw UNSUPPORTED;
    return gate;
  }

  private alternation(): Gate {
    const branches: Gate[] = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return anyGate(branches);
  }

  private sequence(): Gate {
    const parts: Gate[] = [];
    // The current run of literal characters; a run ends (is pushed as a literal) at anything else.
    // No closure for that: this runs once per sequence of every rule pattern at cold start.
    let run = '';
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const atom = this.atom();
      const q = this.quantifier();
      if (atom.kind === 'char' && q === undefined) {
        run += atom.ch;
        continue;
      }
      if (atom.kind === 'char' && q !== undefined && q.min >= 1) run += atom.ch;
      if (run !== '') parts.push(literalGate(fold(run)));
      run = '';
      if (atom.kind === 'group' && (q === undefined || q.min >= 1)) parts.push(atom.gate);
    }
    if (run !== '') parts.push(literalGate(fold(run)));
    return allGate(parts);
  }

  private quantifier(): Quantifier | undefined {
    const c = this.p[this.i];
    let q: Quantifier | undefined;
    if (c === '*' || c === '?') q = { min: 0 };
    else if (c === '+') q = { min: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.p.slice(this.i, this.i + 24));
      if (!m) return undefined;
      this.i += m[0].length;
      q = { min: Number(m[1]) };
      this.lazy();
      return q;
    } else return undefined;
    this.i++;
    this.lazy();
    return q;
  }

  private lazy(): void {
    if (this.p[this.i] === '?') this.i++;
    const c = this.p[this.i];
    if (c === '*' || c === '+' || c === '?' || c === '{') throw UNSUPPORTED;
  }

  private atom(): { kind: 'char'; ch: string } | { kind: 'group'; gate: Gate } | { kind: 'other' } {
    const c = this.p[this.i] as string;
    if (c === '(') return this.group();
    if (c === '[') {
      this.skipClass();
      return { kind: 'other' };
    }
    if (c === '.' || c === '^' || c === '$') {
      this.i++;
      return { kind: 'other' };
    }
    if (c === '*' || c === '+' || c === '?') throw UNSUPPORTED;
    if (c === '\\') return this.escape();
    this.i++;
    return isPlainAscii(c) ? { kind: 'char', ch: c } : { kind: 'other' };
  }

  private group(): { kind: 'group'; gate: Gate } | { kind: 'other' } {
    this.i++;
    if (this.p[this.i] === '?') {
      const rest = this.p.slice(this.i, this.i + 64);
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      const flags = /^\?([imsU-]*)(\)|:)/.exec(rest);
      if (named) this.i += named[0].length;
      else if (flags) {
        this.i += flags[0].length;
        // `(?i)`: flags only; fold() already ignores case.
        if (flags[2] === ')') return { kind: 'other' };
      } else throw UNSUPPORTED;
    }
    const gate = this.alternation();
    if (this.p[this.i] !== ')') throw UNSUPPORTED;
    this.i++;
    return { kind: 'group', gate };
  }

  private skipClass(): void {
    this.i++;
    if (this.p[this.i] === '^') this.i++;
    if (this.p[this.i] === ']') this.i++;
    while (this.i < this.p.length) {
      const c = this.p[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '[' && this.p[this.i + 1] === ':') {
        const end = this.p.indexOf(':]', this.i + 2);
        if (end < 0) throw UNSUPPORTED;
        this.i = end + 2;
      } else if (c === ']') {
        this.i++;
        return;
      } else this.i++;
    }
    throw UNSUPPORTED;
  }

  private escape(): { kind: 'char'; ch: string } | { kind: 'other' } {
    const c = this.p[this.i + 1];
    if (c === undefined) throw UNSUPPORTED;
    this.i += 2;
    if ('dDwWsSbBAzZ'.includes(c)) return { kind: 'other' };
    if (c === 'p' || c === 'P') {
      if (this.p[this.i] === '{') {
        const end = this.p.indexOf('}', this.i);
        if (end < 0) throw UNSUPPORTED;
        this.i = end + 1;
      } else this.i++;
      return { kind: 'other' };
    }
    if (c === 'n') return { kind: 'char', ch: '\n' };
    if (c === 't') return { kind: 'char', ch: '\t' };
    if (c === 'r') return { kind: 'char', ch: '\r' };
    if (c === 'f') return { kind: 'char', ch: '\f' };
    if (c === 'v') return { kind: 'char', ch: '\v' };
    if (c === 'x') {
      const m = /^([0-9A-Fa-f]{2}|\{[0-9A-Fa-f]{1,6}\})/.exec(this.p.slice(this.i, this.i + 8));
      if (!m) throw UNSUPPORTED;
      this.i += m[0].length;
      const code = parseInt(m[0].replace(/[{}]/g, ''), 16);
      const ch = String.fromCodePoint(code);
      return code < 0x80 && isPlainAscii(ch) ? { kind: 'char', ch } : { kind: 'other' };
    }
    // Escaped punctuation is that character; any other letter or digit escape is not understood here.
    if (/[A-Za-z0-9]/.test(c)) throw UNSUPPORTED;
    return c.charCodeAt(0) < 0x80 ? { kind: 'char', ch: c } : { kind: 'other' };
  }
}

function isPlainAscii(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x80 && c.length === 1;
}

/** Gates by pattern: a pack applies one pattern to several fields (the ATR pack: ~6,000 uses of ~2,800 patterns). */
const MAX_CACHED = 20_000;
const gates = new Map<string, Gate>();

/** The gate of an RE2 pattern, or null when no literal is certainly required. */
export function regexGate(pattern: string): Gate {
  const known = gates.get(pattern);
  if (known !== undefined || gates.has(pattern)) return known ?? null;
  const gate = parseGate(pattern);
  if (gates.size >= MAX_CACHED) gates.clear();
  gates.set(pattern, gate);
  return gate;
}

function parseGate(pattern: string): Gate {
  // Extended mode (`x`) makes spaces insignificant: literals would be wrong.
  if (/\(\?[a-zA-Z-]*x/.test(pattern)) return null;
  try {
    return new Parser(pattern).parse();
  } catch (error) {
    if (error === UNSUPPORTED) return null;
    throw error;
  }
}
