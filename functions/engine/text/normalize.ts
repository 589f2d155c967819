/**
 * Text normalisation before phrase matching, shared by the built-in content scanners: the tricks
 * that keep a human-readable instruction from matching a pattern while a model still reads it.
 *
 * - NFKC: fullwidth (`ｉｇｎｏｒｅ`), mathematical (`𝐢𝐠𝐧𝐨𝐫𝐞`), ligature and other compatibility forms
 *   become their plain letters; no-break and other spaces become spaces.
 * - Invisible characters are removed: zero-width (U+200B–200D, U+2060–2064, U+FEFF, U+180E), soft
 *   hyphens, bidi marks and controls, Unicode tag characters (U+E0000–E007F; the smuggled text itself
 *   is decoded by hidden-unicode.ts), variation selectors, and combining marks left on ASCII letters
 *   after NFKC (`ḯ̷g̷n̷o̷r̷e̷`, "zalgo" text).
 * - Homoglyphs: Cyrillic and Greek letters that look like Latin ones (`іgnоrе` with Cyrillic і/о/е)
 *   are folded to Latin, but only inside a word that also holds an ASCII letter — a word wholly in
 *   Cyrillic or Greek is that language, and the other-language rows must still read it.
 * - Spaced-out letters: four or more single letters separated by one space, dot, dash, underscore or
 *   asterisk (`i g n o r e`, `i.g.n.o.r.e`) are joined into a word; a wider gap between them stays a
 *   word break (`i g n o r e   a l l` → `ignore all`).
 * - Leetspeak: in a word of letters and the digits 0 1 3 4 5 7 (at least two letters, no other digit,
 *   and one such digit between two letters), those become o i e a s t (`1gn0r3` → `ignore`,
 *   `h0w` → `how`). Words with other digits (`sha256`, `utf8`, `base64`), digits only at an end
 *   (`web3`, `500usd`) and numbers stay as they are; so do `@` and `$` (addresses and amounts).
 *
 * The result is for matching only (offsets differ from the input); hidden-character findings are
 * made on the original text. Linear time: a first pass decides whether anything applies (ASCII text
 * without leet words or spaced letters is returned as it is, unallocated), then one pass per step.
 */

/** Any non-ASCII character: NFKC, invisible characters or homoglyphs may apply. */
// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const NON_ASCII = /[^\x00-\x7f]/;

function isAsciiLetter(c: number): boolean {
  return ((c | 32) - 97) >>> 0 < 26;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Leet signs and what they stand for (index: char code). */
const LEET = new Map<number, string>([
  [48, 'o'],
  [49, 'i'],
  [51, 'e'],
  [52, 'a'],
  [53, 's'],
  [55, 't'],
]);

/** 0 1 3 4 5 7 (bits of 0b10111011). */
function isLeetSign(c: number): boolean {
  return (c - 48) >>> 0 < 10 && ((0b10111011 >> (c - 48)) & 1) === 1;
}

/** Separators of spaced-out letters. */
function isSpacer(c: number): boolean {
  return c === 32 || c === 46 || c === 45 || c === 95 || c === 42;
}

/** Invisible characters removed before matching. */
function isInvisible(c: number): boolean {
  return (
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff ||
    c === 0x180e ||
    c === 0x00ad ||
    c === 0x061c ||
    (c >= 0xfe00 && c <= 0xfe0f)
  );
}

/** Cyrillic and Greek letters that render like a Latin letter. */
const HOMOGLYPHS = new Map<number, string>(
  Object.entries({
    а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', ɡ: 'g',
    А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
    α: 'a', ο: 'o', ρ: 'p', ν: 'v', ι: 'i', κ: 'k', τ: 't', υ: 'u', χ: 'x', ε: 'e',
    Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  }).map(([k, v]) => [k.charCodeAt(0), v]),
);

/** A letter of any script (what a word is made of, for the homoglyph rule). */
function isWordChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x52f) || c === 0x261;
}

/** A single letter at `i`: an ASCII letter with neither a letter nor a digit on either side. */
function isSingleLetter(text: string, i: number): boolean {
  if (i >= text.length || !isAsciiLetter(text.charCodeAt(i))) return false;
  const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
  const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  return !isAsciiLetter(prev) && !isDigit(prev) && !isAsciiLetter(next) && !isDigit(next);
}

/** Whether normalizeForMatching can change `text` (one pass, no allocation). */
export function needsNormalizing(text: string): boolean {
  if (NON_ASCII.test(text)) return true;
  const n = text.length;
  let run = 0;
  let lastSingle = -3;
  // prev/c/next slide along the text: one read per character.
  let prev = 32;
  let c = n > 0 ? text.charCodeAt(0) : 32;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 32;
    const letter = ((c | 32) - 97) >>> 0 < 26;
    if (letter) {
      // A single letter: no letter or digit on either side; four in a row, one spacer apart.
      if (((prev | 32) - 97) >>> 0 >= 26 && (prev - 48) >>> 0 >= 10 && ((next | 32) - 97) >>> 0 >= 26 && (next - 48) >>> 0 >= 10) {
        run = i - lastSingle === 2 && isSpacer(prev) ? run + 1 : 1;
        lastSingle = i;
        if (run >= 4) return true;
      }
    } else if (isLeetSign(c) && isAsciiLetter(next)) {
      // A leet digit between two letters ("1gn0r3", "h0w"), or one starting a word ("4ll").
      if (isAsciiLetter(prev) || (!isDigit(prev) && i + 2 < n && isAsciiLetter(text.charCodeAt(i + 2)))) return true;
    }
    prev = c;
    c = next;
  }
  return false;
}

function stripInvisible(text: string): string {
  let out = '';
  let last = 0;
  /** The last character that was not a combining mark is an ASCII letter. */
  let onAscii = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let width = 0;
    if (isInvisible(c)) width = 1;
    else if (c === 0xdb40) {
      const low = text.charCodeAt(i + 1);
      // Tag characters (U+E0000–E007F) and supplementary variation selectors (U+E0100–E01EF).
      if ((low >= 0xdc00 && low <= 0xdc7f) || (low >= 0xdd00 && low <= 0xddef)) width = 2;
    } else if (c >= 0x0300 && c <= 0x036f) {
      // Combining marks still attached after NFKC: strip them from ASCII letters (zalgo text).
      if (onAscii) width = 1;
    } else onAscii = isAsciiLetter(c);
    if (width > 0) {
      out += text.slice(last, i);
      last = i + width;
      i += width - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Folds homoglyphs inside words that mix them with ASCII letters. */
function foldHomoglyphs(text: string): string {
  let out = '';
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let ascii = false;
    let glyphs = false;
    while (i < n && isWordChar(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      if (isAsciiLetter(c)) ascii = true;
      else if (HOMOGLYPHS.has(c)) glyphs = true;
      i++;
    }
    if (!ascii || !glyphs) continue;
    out += text.slice(last, start);
    for (let k = start; k < i; k++) {
      const c = text.charCodeAt(k);
      out += HOMOGLYPHS.get(c) ?? text[k];
    }
    last = i;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Joins runs of ≥ 4 single letters separated by one spacer; a longer gap becomes a space. */
function joinSpacedLetters(text: string): string {
  let out = '';
  let last = 0;
  const n = text.length;
  const single = (i: number): boolean => isSingleLetter(text, i);
  for (let i = 0; i < n; i++) {
    if (!single(i)) continue;
    // Collect the run: letter (spacer letter)*, allowing gaps of 2–4 spaces as word breaks.
    const letters: string[] = [text[i] as string];
    let end = i + 1;
    for (;;) {
      let gap = end;
      while (gap < n && gap - end < 4 && isSpacer(text.charCodeAt(gap))) gap++;
      const width = gap - end;
      if (width === 0 || !single(gap)) break;
      if (width > 1) {
        if (text.charCodeAt(end) !== 32) break;
        letters.push(' ');
      }
      letters.push(text[gap] as string);
      end = gap + 1;
    }
    const count = letters.filter((l) => l !== ' ').length;
    if (count >= 4) {
      out += text.slice(last, i) + letters.join('');
      last = end;
    }
    i = end - 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Rewrites leet words (letters mixed with 0 1 3 4 5 7 @ $, no other digit). */
function unLeet(text: string): string {
  let out = '';
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (!isAsciiLetter(c) && !isDigit(c) && !isLeetSign(c)) {
      i++;
      continue;
    }
    const start = i;
    let letters = 0;
    let inner = false;
    let otherDigit = false;
    let runStart = -1;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isAsciiLetter(d)) {
        letters++;
        // A run of leet digits between two letters ("t10n"), or one leading digit before letters ("4ll").
        if (runStart >= 0 && (runStart > start || i - runStart === 1)) inner = true;
        runStart = -1;
      } else if (isLeetSign(d)) {
        if (runStart < 0) runStart = i;
      } else if (isDigit(d)) otherDigit = true;
      else break;
      i++;
    }
    if (letters < 2 || !inner || otherDigit) continue;
    out += text.slice(last, start);
    for (let k = start; k < i; k++) {
      const d = text.charCodeAt(k);
      out += isAsciiLetter(d) ? text[k] : (LEET.get(d) as string);
    }
    last = i;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Only the Unicode steps (NFKC, invisible characters, homoglyphs): for payload scanners, where digits
 * and single letters are data (`1=1`, `a b`), not spelling tricks. ASCII text is returned as it is.
 */
export function foldUnicodeForMatching(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return foldHomoglyphs(stripInvisible(stripInvisible(text).normalize('NFKC')));
}

/** The text as the phrase scanners should read it (see the module comment). */
export function normalizeForMatching(text: string): string {
  if (!needsNormalizing(text)) return text;
  let t = text;
  if (NON_ASCII.test(t)) {
    // Marks on ASCII letters go before NFKC composes them into accented letters ("i\u0301" → "í").
    t = stripInvisible(stripInvisible(t).normalize('NFKC'));
    t = foldHomoglyphs(t);
  }
  return unLeet(joinSpacedLetters(t));
}
