/**
 * ATR patterns are JavaScript regexes (written for `new RegExp(source, 'i')`); our matcher runs
 * RE2 syntax through `re2js`, which is linear time and therefore has no lookaround and no
 * backreferences. This translates the syntax the two dialects spell differently and refuses,
 * with a reason, what RE2 cannot express. It never approximates: a pattern is either translated
 * to an equivalent RE2 pattern or rejected.
 */
import { RE2JS } from 're2js';

/** Why a pattern could not be made linear-time (kept in the generated pack doc). */
export type RegexRejection = 'lookahead' | 'lookbehind' | 'backreference' | 'unsupported-syntax';

export type RegexTranslation =
  | { readonly ok: true; readonly source: string }
  | { readonly ok: false; readonly reason: RegexRejection; readonly detail: string };

/** RE2 refuses repeat bounds above this (`x{0,2000}`); larger bounds are split into equal parts. */
const RE2_MAX_REPEAT = 1000;

const LETTER_ESCAPES_RE2_KNOWS = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'n', 'r', 't', 'f', 'v', 'p', 'P', 'x']);

function hex(code: number): string {
  return `\\x{${code.toString(16)}}`;
}

/**
 * Translates one ATR regex source to RE2 syntax. A leading inline flag group (`(?i)`, `(?is)`)
 * is dropped: the caller applies case-insensitivity the way the ATR engine does (always).
 */
export function translateAtrRegex(pattern: string): RegexTranslation {
  const flagPrefix = /^\(\?([imsx]+)\)/.exec(pattern);
  const body = flagPrefix ? pattern.slice(flagPrefix[0].length) : pattern;
  const dotAll = flagPrefix?.[1]?.includes('s') ?? false;
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined) return reject('unsupported-syntax', 'trailing backslash');
      if (/[1-9]/.test(next) && !inClass) return reject('backreference', `\\${next}`);
      if (next === 'k' && body[i + 2] === '<') return reject('backreference', '\\k<name>');
      if (next === 'u') {
        const braced = /^\\u\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i));
        const plain = /^\\u([0-9a-fA-F]{4})/.exec(body.slice(i));
        const m = braced ?? plain;
        if (!m) return reject('unsupported-syntax', '\\u without code point');
        out += hex(parseInt(m[1]!, 16));
        i += m[0].length - 1;
        continue;
      }
      if (next === 'c') {
        const letter = body[i + 2];
        if (letter && /[a-zA-Z]/.test(letter)) {
          out += hex(letter.toUpperCase().charCodeAt(0) - 64);
          i += 2;
          continue;
        }
      }
      if (next === '0' && !/[0-9]/.test(body[i + 2] ?? '')) {
        out += hex(0);
        i += 1;
        continue;
      }
      if (next === 'b' && inClass) {
        out += hex(8); // [\b] is backspace in JavaScript
        i += 1;
        continue;
      }
      if (next === 'p' || next === 'P') {
        // \p{Script=Han} / \p{sc=Han} → \p{Han}; \p{L} passes through.
        const m = /^\\[pP]\{(?:Script|sc|Script_Extensions|scx)=([A-Za-z_]+)\}/.exec(body.slice(i));
        if (m) {
          out += `\\${next}{${m[1]}}`;
          i += m[0].length - 1;
          continue;
        }
      }
      if (/[a-zA-Z]/.test(next) && !LETTER_ESCAPES_RE2_KNOWS.has(next)) {
        // JavaScript (without the u flag) reads an unknown letter escape as the letter itself.
        out += next;
        i += 1;
        continue;
      }
      out += ch + next;
      i += 1;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A leading ']' or '^]' is a literal in both dialects; copy it so it does not close the class.
      if (body[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      if (body[i + 1] === ']') {
        out += '\\]';
        i += 1;
      }
      continue;
    }
    if (ch === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!')) return reject('lookahead', `(?${rest[0]}`);
      if (rest === '<=' || rest === '<!') return reject('lookbehind', `(?${rest}`);
    }
    if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(body.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > RE2_MAX_REPEAT || (max !== Infinity && max > RE2_MAX_REPEAT)) {
          return reject('unsupported-syntax', `repeat bound ${m[0]} above RE2's ${RE2_MAX_REPEAT}`);
        }
      }
    }
    if (ch === '.' && dotAll) {
      out += '(?s:.)';
      continue;
    }
    out += ch;
  }
  try {
    RE2JS.compile(out, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    return reject('unsupported-syntax', error instanceof Error ? error.message : String(error));
  }
  return { ok: true, source: out };
}

function reject(reason: RegexRejection, detail: string): RegexTranslation {
  return { ok: false, reason, detail };
}
