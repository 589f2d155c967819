/**
 * Which rows of the phrase catalogue (injection-phrases.ts) can match a text, decided from the words
 * the caller's word loop already visits, so that a row's regex scans only texts holding one of its
 * needles — never a text that merely has one of a needle's common words ("are", "will", "before").
 *
 * Each Latin needle is keyed by its longest word ("without the user" → "without", "n't verify" →
 * "verify", "refus" → "refus"). At a word whose first two letters and length fit a key,
 * the whole needle is compared in place: the key exactly (or as a word prefix when the needle ends
 * inside it: a stem), the characters after it forward and those before it backward. A space in a
 * needle matches 1–4 blanks (the rows' regexes allow `\s{1,3}`), a punctuation mark may follow up to 3
 * blanks ("TODO :"), ASCII letters compare case-insensitively. Needles that start with punctuation
 * ("<!--") are looked up with `includes`; non-Latin ones (CJK, Cyrillic, Hangul) open their rows
 * whenever the text has such letters. A row's regex still decides; the catalogue's `match` examples
 * (test/unit/text/catalogues.test.ts) check that every row still opens on its own examples.
 *
 * Cost: one array read per word (the pair table), a few character compares at candidate words, and
 * no allocation.
 */
import { PHRASES } from './injection-phrases.js';

const PAIRS = 26 * 26;

interface Needle {
  /** The key word (lower case). */
  readonly key: string;
  /** The needle ends inside the key word: any word starting with it opens the rows. */
  readonly stem: boolean;
  /** Needle text before the key (compared backwards from the word start). */
  readonly before: string;
  /** Needle text after the key (compared forwards from the word end). */
  readonly after: string;
  readonly rows: number[];
}

/** Needles sharing one key word. */
interface KeyGroup {
  readonly key: string;
  readonly needles: Needle[];
}

const MAX_KEY = 31;
/** (first, second letter) of some needle key. */
export const PHRASE_PAIRS = new Uint8Array(PAIRS);
/** Exact keys by (pair, length): a word is compared only with keys of its own shape. */
const EXACT: Array<KeyGroup[] | undefined> = new Array<KeyGroup[] | undefined>(PAIRS * (MAX_KEY + 1)).fill(undefined);
/** Stem keys by pair (a word of at least the stem's length starting with it). */
const STEMS: Array<KeyGroup[] | undefined> = new Array<KeyGroup[] | undefined>(PAIRS).fill(undefined);

function groupIn(table: Array<KeyGroup[] | undefined>, index: number, key: string): KeyGroup {
  let list = table[index];
  if (list === undefined) table[index] = list = [];
  let group = list.find((g) => g.key === key);
  if (group === undefined) list.push((group = { key, needles: [] }));
  return group;
}
const LITERALS: Array<{ readonly literal: string; readonly rows: number[] }> = [];
const NON_LATIN_ROWS: number[] = [];

/** Index of an ASCII letter pair (either case). */
export function pairIndex(first: number, second: number): number {
  return ((first | 32) - 97) * 26 + ((second | 32) - 97);
}

function addRow(list: number[], row: number): void {
  if (!list.includes(row)) list.push(row);
}

PHRASES.forEach((phrase, row) => {
  for (const needle of phrase.needles) {
    if (needle.charCodeAt(0) > 0x7f) {
      addRow(NON_LATIN_ROWS, row);
      continue;
    }
    // The key is the needle's longest word (the later one on a tie): rare words keep the gate shut on
    // ordinary text, where "the", "you", "with" would open it at every other word.
    const m = [...needle.matchAll(/[a-z]{2,}/g)].reduce<RegExpExecArray | RegExpMatchArray | null>((best, w) => (best === null || w[0].length >= best[0].length ? w : best), null);
    if (m === null || /^[^a-z\s\d'’]/.test(needle)) {
      if (m === null && !/^[^a-z\s]/.test(needle)) throw new Error(`phrase ${phrase.id}: needle ${needle} has no word`);
      let entry = LITERALS.find((l) => l.literal === needle);
      if (entry === undefined) LITERALS.push((entry = { literal: needle, rows: [] }));
      addRow(entry.rows, row);
      continue;
    }
    const key = m[0];
    const before = needle.slice(0, m.index ?? 0);
    const after = needle.slice((m.index ?? 0) + key.length);
    const stem = after.length === 0;
    const pair = pairIndex(key.charCodeAt(0), key.charCodeAt(1));
    PHRASE_PAIRS[pair] = 1;
    if (key.length > MAX_KEY) throw new Error(`phrase ${phrase.id}: needle word ${key} too long`);
    const group = stem ? groupIn(STEMS, pair, key) : groupIn(EXACT, pair * (MAX_KEY + 1) + key.length, key);
    let entry = group.needles.find((b) => b.before === before && b.after === after);
    if (entry === undefined) group.needles.push((entry = { key, stem, before, after, rows: [] }));
    addRow(entry.rows, row);
  }
});

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

/** `needle` occurs in `text` from `pos` on (blanks and case as described above). */
function matchesForward(text: string, pos: number, needle: string): boolean {
  let p = pos;
  for (let k = 0; k < needle.length; k++) {
    const want = needle.charCodeAt(k);
    if (want === 32) {
      let blanks = 0;
      while (blanks < 4 && p < text.length && isBlank(text.charCodeAt(p))) {
        p++;
        blanks++;
      }
      if (blanks === 0) return false;
      continue;
    }
    if (!((want >= 97 && want <= 122) || (want >= 48 && want <= 57))) {
      for (let blanks = 0; blanks < 3 && p < text.length && isBlank(text.charCodeAt(p)); blanks++) p++;
    }
    if (p >= text.length || lower(text.charCodeAt(p)) !== want) return false;
    p++;
  }
  return true;
}

/** `needle` ends in `text` just before `end` (blanks and case as described above). */
function matchesBackward(text: string, end: number, needle: string): boolean {
  let p = end - 1;
  for (let k = needle.length - 1; k >= 0; k--) {
    const want = needle.charCodeAt(k);
    if (want === 32) {
      let blanks = 0;
      while (blanks < 4 && p >= 0 && isBlank(text.charCodeAt(p))) {
        p--;
        blanks++;
      }
      if (blanks === 0) return false;
      continue;
    }
    if (p < 0 || lower(text.charCodeAt(p)) !== want) return false;
    p--;
  }
  return true;
}

/** The letters of `key` (lower case; its first two already matched by pair) start at text[start]. */
function keyAt(text: string, start: number, key: string): boolean {
  for (let k = 2; k < key.length; k++) if ((text.charCodeAt(start + k) | 32) !== key.charCodeAt(k)) return false;
  return true;
}

/** Rows whose needles occur in one text. One instance is reused by every scan (scans never nest). */
export class PhraseGate {
  readonly open = new Uint8Array(PHRASES.length);
  any = false;
  nonLatin = false;

  reset(): void {
    if (this.any) this.open.fill(0);
    this.any = false;
    this.nonLatin = false;
  }

  private mark(rows: readonly number[]): void {
    for (const r of rows) this.open[r] = 1;
    this.any = true;
  }

  /** The ASCII word text[start, end): two letters or more, its pair marked in PHRASE_PAIRS. */
  word(text: string, start: number, end: number, pair: number): void {
    const length = end - start;
    if (length <= MAX_KEY) {
      const exact = EXACT[pair * (MAX_KEY + 1) + length];
      if (exact !== undefined) for (const g of exact) if (keyAt(text, start, g.key)) this.verify(text, start, end, g.needles);
    }
    const stems = STEMS[pair];
    if (stems !== undefined) for (const g of stems) if (g.key.length <= length && keyAt(text, start, g.key)) this.verify(text, start, end, g.needles);
  }

  private verify(text: string, start: number, end: number, needles: readonly Needle[]): void {
    for (const n of needles) {
      if (n.after.length > 0 && !matchesForward(text, end, n.after)) continue;
      if (n.before.length > 0 && !matchesBackward(text, start, n.before)) continue;
      this.mark(n.rows);
    }
  }

  /** After the word loop: punctuation needles and the non-Latin rows. */
  finish(text: string): void {
    for (const { literal, rows } of LITERALS) if (text.includes(literal)) this.mark(rows);
    if (this.nonLatin) this.mark(NON_LATIN_ROWS);
  }
}
