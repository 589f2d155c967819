/**
 * Characters that hide content from a human reader while a model still reads it: Unicode tag
 * characters (ASCII smuggling), bidi embedding/override controls (Trojan Source), zero-width
 * characters used as steganography or to split keywords, ANSI escape sequences that conceal or
 * overwrite terminal text, and private-use code points.
 *
 * Legitimate uses are left out on purpose, so a finding means something:
 * - tag characters inside an emoji flag sequence (U+1F3F4 + lowercase tags + U+E007F, e.g. the
 *   flag of Scotland) are not counted;
 * - bidi marks (LRM/RLM/ALM) are not controls and right-to-left text needs none of the controls
 *   counted here; balanced FSI…PDI pairs alone (how Fluent/ICU isolate placeables) are not counted;
 * - ZWJ inside emoji sequences and ZWNJ/ZWJ in Persian or Indic words are not counted: a zero-width
 *   character counts only between two ASCII letters/digits, in a run of two or more, or (BOM) past
 *   the first position; variation selectors count (as zero-width) only in runs of two or more,
 *   which is how "emoji smuggling" encodes bytes — one selector after a character is ordinary;
 * - ANSI colour (SGR) sequences are counted but only hiding ones (conceal, cursor movement, erase,
 *   cursor hide, OSC 8 hyperlinks, alternate screen) are `deceptive`.
 *
 * One pass over UTF-16 code units after a single regex test; input is capped.
 */

export type HiddenUnicodeKind =
  'unicode-tags' | 'bidi-control' | 'zero-width' | 'ansi-escape' | 'private-use';

export interface HiddenUnicodeFinding {
  readonly kind: HiddenUnicodeKind;
  /** Characters (tags, bidi, zero-width, private-use) or escape sequences (ansi-escape) counted. */
  readonly count: number;
  /** unicode-tags only: the ASCII the tag characters spell (the smuggled text), at most 256 chars. */
  readonly decoded?: string;
  /** ansi-escape only: sequences that hide, move over or disguise text. */
  readonly deceptive?: number;
}

export const HIDDEN_UNICODE_MAX_CHARS = 65_536;
const MAX_DECODED = 256;

// Any candidate: zero-width (200B-200D, 2060-2064, FEFF, 180E), variation selectors (FE00-FE0F),
// bidi (202A-202E, 2066-2069), ESC and C1 CSI, BMP private use, and high surrogates of the tags
// block (DB40) and planes 15/16 (DB80-DBFF). Control characters, lone surrogate halves and selector
// code points are exactly what this scans for.
/* eslint-disable no-control-regex, no-misleading-character-class */
const CANDIDATE =
  /[\u180E\u200B-\u200D\u2060-\u2064\uFEFF\uFE00-\uFE0F\u202A-\u202E\u2066-\u2069\x1b\x9b\uE000-\uF8FF\uDB40\uDB80-\uDBFF]/;
/* eslint-enable no-control-regex, no-misleading-character-class */

// CSI: parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E (disjoint classes: linear).
// eslint-disable-next-line no-control-regex -- ANSI escape sequences are the subject
const CSI = /(?:\x1b\[|\x9b)([0-?]{0,32})[ -/]{0,8}([@-~])/y;
// OSC: ESC ] … terminated by BEL or ST (ESC \).
// eslint-disable-next-line no-control-regex -- ANSI escape sequences are the subject
const OSC = /\x1b\]([^\x07\x1b]{0,2048})(?:\x07|\x1b\\)/y;
// Cursor movement/positioning, erase and save/restore: text can be overwritten or moved out of view.
const MOVING_FINALS = 'ABCDEFGHJKSTfdsu';

function isAsciiAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** A variation selector (FE00-FE0F or E0100-E01EF) starts at index `i`. */
function isVariationSelectorAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xfe00 && c <= 0xfe0f) return true;
  if (c !== 0xdb40) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdd00 && low <= 0xddef;
}

/** A variation selector ends just before index `i`. */
function isVariationSelectorBefore(text: string, i: number): boolean {
  const c = text.charCodeAt(i - 1);
  if (c >= 0xfe00 && c <= 0xfe0f) return true;
  return i >= 2 && isVariationSelectorAt(text, i - 2);
}

function isZeroWidth(code: number): boolean {
  return (
    code === 0x200b ||
    code === 0x200c ||
    code === 0x200d ||
    code === 0xfeff ||
    code === 0x180e ||
    (code >= 0x2060 && code <= 0x2064)
  );
}

/** A CSI sequence that hides text: SGR 8 (conceal), cursor hide/alternate screen, moves and erases. */
function isDeceptiveCsi(params: string, final: string): boolean {
  if (final === 'm') return params.split(';').some((p) => p === '8');
  if (final === 'l' || final === 'h') return params === '?25' || params === '?1049' || params === '?47';
  return MOVING_FINALS.includes(final);
}

export function findHiddenUnicode(input: string): HiddenUnicodeFinding[] {
  const text = input.length > HIDDEN_UNICODE_MAX_CHARS ? input.slice(0, HIDDEN_UNICODE_MAX_CHARS) : input;
  if (!CANDIDATE.test(text)) return [];
  let tags = 0;
  let decoded = '';
  let bidi = 0;
  let fsi = 0;
  let pdi = 0;
  let zeroWidth = 0;
  let ansi = 0;
  let deceptive = 0;
  let privateUse = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x180e && c !== 0x1b && c !== 0x9b) continue;
    if (c === 0x1b || c === 0x9b) {
      CSI.lastIndex = i;
      const csi = CSI.exec(text);
      if (csi) {
        ansi++;
        if (isDeceptiveCsi(csi[1] ?? '', csi[2] ?? '')) deceptive++;
        i += csi[0].length - 1;
        continue;
      }
      OSC.lastIndex = i;
      const osc = OSC.exec(text);
      if (osc) {
        ansi++;
        // OSC 8 hyperlinks show one text and open another target.
        if ((osc[1] ?? '').startsWith('8;')) deceptive++;
        i += osc[0].length - 1;
        continue;
      }
      if (c === 0x1b) ansi++;
      continue;
    }
    if (c >= 0x202a && c <= 0x202e) {
      bidi++;
      continue;
    }
    if (c >= 0x2066 && c <= 0x2069) {
      if (c === 0x2068) fsi++;
      else if (c === 0x2069) pdi++;
      else bidi++;
      continue;
    }
    if (isZeroWidth(c)) {
      if (c === 0xfeff && i === 0) continue;
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      const inRun = isZeroWidth(prev) || isZeroWidth(next);
      if (inRun || c === 0xfeff || (isAsciiAlnum(prev) && isAsciiAlnum(next))) zeroWidth++;
      continue;
    }
    if (c >= 0xfe00 && c <= 0xfe0f) {
      // One selector after a base character is ordinary (emoji presentation); runs encode data.
      if (isVariationSelectorAt(text, i + 1) || isVariationSelectorBefore(text, i)) zeroWidth++;
      continue;
    }
    if (c >= 0xe000 && c <= 0xf8ff) {
      privateUse++;
      continue;
    }
    if (c === 0xdb40) {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdc7f) {
        const end = emojiTagSequenceEnd(text, i);
        if (end > i) {
          i = end - 1;
          continue;
        }
        tags++;
        const ascii = low - 0xdc00;
        if (ascii >= 0x20 && ascii <= 0x7e && decoded.length < MAX_DECODED)
          decoded += String.fromCharCode(ascii);
        i++;
        continue;
      }
      if (low >= 0xdd00 && low <= 0xddef) {
        // Variation selectors supplement: single ones select glyph variants; runs encode data.
        if (isVariationSelectorAt(text, i + 2) || isVariationSelectorBefore(text, i)) zeroWidth++;
        i++;
        continue;
      }
      privateUse++;
      i++;
      continue;
    }
    if (c >= 0xdb80 && c <= 0xdbff) {
      privateUse++;
      i++;
    }
  }
  // Balanced FSI…PDI pairs are how i18n libraries isolate placeables; unbalanced ones are counted.
  if (bidi > 0 || fsi !== pdi) bidi += fsi + pdi;
  const out: HiddenUnicodeFinding[] = [];
  if (tags > 0) out.push({ kind: 'unicode-tags', count: tags, decoded });
  if (bidi > 0) out.push({ kind: 'bidi-control', count: bidi });
  if (zeroWidth > 0) out.push({ kind: 'zero-width', count: zeroWidth });
  if (ansi > 0) out.push({ kind: 'ansi-escape', count: ansi, deceptive });
  if (privateUse > 0) out.push({ kind: 'private-use', count: privateUse });
  return out;
}

/**
 * If a tag run at `i` is an emoji subdivision flag (U+1F3F4, then 1–8 tags for [0-9a-z], then
 * CANCEL TAG U+E007F), returns the index after it; else `i`.
 */
function emojiTagSequenceEnd(text: string, i: number): number {
  // U+1F3F4 WAVING BLACK FLAG is \uD83C\uDFF4.
  if (i < 2 || text.charCodeAt(i - 2) !== 0xd83c || text.charCodeAt(i - 1) !== 0xdff4) return i;
  let j = i;
  let letters = 0;
  while (j + 1 < text.length && text.charCodeAt(j) === 0xdb40 && letters <= 8) {
    const low = text.charCodeAt(j + 1) - 0xdc00;
    if (low === 0x7f) return letters > 0 ? j + 2 : i;
    const isLowerAlnum = (low >= 0x30 && low <= 0x39) || (low >= 0x61 && low <= 0x7a);
    if (!isLowerAlnum) return i;
    letters++;
    j += 2;
  }
  return i;
}
