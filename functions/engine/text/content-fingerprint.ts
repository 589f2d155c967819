/**
 * Content fingerprints for "did text from this earlier result reappear in these arguments?"
 * without keeping the text: hashes of SHINGLE-character windows of the (normalized) result, taken
 * at positions ≡ 0 (mod stride), checked against EVERY SHINGLE-character window of the arguments.
 *
 * Exactness. Let the result r and an argument string a share a substring of length L, starting at
 * r[p]. The stored windows start at multiples of the stride S; the first one at or after p starts
 * at p' ≤ p + S − 1, and lies inside the shared text iff p' + SHINGLE ≤ p + L. So every common
 * substring of length L ≥ SHINGLE + S − 1 contains a stored window, and since every window of a is
 * checked, it is found (up to a hash collision: 48 bits of two independent 32-bit polynomial
 * hashes — see FINGERPRINT_WIDTH).
 * Shorter overlaps (SHINGLE ≤ L < SHINGLE + S − 1) are found when they happen to cover an aligned
 * window. Conversely a reported match IS a ≥ SHINGLE-character common substring. With the default
 * S = 16 and SHINGLE = 32: every shared run of ≥ 47 characters is found; with a 256-fingerprint budget
 * that holds for the first 4 KiB of a result (the size producers are asked to log); longer results
 * use a larger stride so the whole scanned text is sampled (guarantee 31 + stride, reported).
 *
 * Normalization on both sides: ASCII lower-case and runs of whitespace → one space, so re-wrapped
 * or re-cased copies still match. Windows with fewer than 8 distinct characters (rules of dashes,
 * runs of zeros, indentation) are not stored: they match everywhere — so the guarantee above holds
 * for shared text whose aligned windows have ≥ 8 distinct characters, which prose, records and
 * keys always do.
 */

export const SHINGLE = 32;
/** Characters of a result that are fingerprinted. */
export const FINGERPRINT_MAX_CHARS = 16_384;
/** Characters of arguments checked per call. */
export const MATCH_MAX_CHARS = 65_536;
/**
 * Width of one encoded fingerprint: 48 bits as 8 base64url digits — the first hash whole and the
 * high 16 bits of the second (the high bits of a polynomial hash mod 2^32 are its well-mixed ones).
 * Stored per session, fingerprints are most of the session state a remote store rewrites
 * (docs/state-table.md): 48 bits instead of 64 (and 8 digits instead of 12) cut them by a third.
 * A false match needs two 48-bit values equal by chance: at most 2^-24 per call even at the limits
 * (65,536 argument windows against 256 stored fingerprints), ~10^-10 for a typical call.
 */
export const FINGERPRINT_WIDTH = 8;
/**
 * Width of a fingerprint stored before (both 32-bit hashes whole, 6 digits each): still read, and
 * compared on the same 48 bits as the current ones.
 */
export const LEGACY_FINGERPRINT_WIDTH = 12;
/** The bits of the second hash a fingerprint keeps. */
const H2_KEPT = 0xffff0000 | 0;
const MIN_DISTINCT_CHARS = 8;
const MAX_MATCHES = 256;

// Two polynomial hashes mod 2^32 with odd bases (Math.imul keeps them exact and fast).
const B1 = 0x01000193;
const B2 = 0x5bd1e995;
const POW1 = powImul(B1, SHINGLE - 1);
const POW2 = powImul(B2, SHINGLE - 1);

function powImul(base: number, exp: number): number {
  let out = 1;
  for (let i = 0; i < exp; i++) out = Math.imul(out, base);
  return out;
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

// UTF-16 code units back to a string, one character per unit (a lone surrogate becomes U+FFFD).
const UTF16 = new TextDecoder('utf-16le');
// Fingerprint digits are ASCII, so UTF-8 decoding is the identity (and much cheaper per call).
const ASCII = new TextDecoder('utf-8');

/** Normalized text as UTF-16 code units (typed-array access is what the hashing loops need). */
export interface NormalizedCodes {
  readonly codes: Uint16Array;
  /** Index in the original text of each normalized unit (only when asked for). */
  readonly map?: Int32Array;
}

// Scratch buffers reused by every call (the engine is single-threaded and nothing here keeps a
// view past the call that filled it): no per-call typed-array allocation on the hot path.
const SCRATCH_CHARS = Math.max(FINGERPRINT_MAX_CHARS, MATCH_MAX_CHARS);
const scratchCodes = new Uint16Array(SCRATCH_CHARS);
const scratchMap = new Int32Array(SCRATCH_CHARS);
const scratchPrefix1 = new Int32Array(FINGERPRINT_MAX_CHARS + 1);
const scratchPrefix2 = new Int32Array(FINGERPRINT_MAX_CHARS + 1);
const scratchDigits = new Uint8Array(512 * FINGERPRINT_WIDTH);

/**
 * ASCII lower-case, whitespace runs → one space, leading whitespace dropped; first `max` chars,
 * written to `codes` (and the original index of each unit to `map`). Returns the length.
 */
function normalizeInto(text: string, max: number, codes: Uint16Array, map: Int32Array | undefined): number {
  const n = Math.min(text.length, max);
  let len = 0;
  let lastSpace = true;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    // Fast path: printable ASCII other than space (33..126; unsigned compares, one branch each).
    if ((c - 33) >>> 0 < 94) {
      if ((c - 65) >>> 0 < 26) c += 32;
      lastSpace = false;
    } else if (isSpace(c)) {
      if (lastSpace) continue;
      c = 32;
      lastSpace = true;
    } else {
      lastSpace = false;
    }
    if (map !== undefined) map[len] = i;
    codes[len++] = c;
  }
  return len;
}

/** ASCII lower-case, whitespace runs → one space, leading whitespace dropped; first `max` chars. */
export function normalizeCodes(text: string, max: number, withMap = false): NormalizedCodes {
  const n = Math.min(text.length, max);
  const codes = new Uint16Array(n);
  const map = withMap ? new Int32Array(n) : undefined;
  const len = normalizeInto(text, max, codes, map);
  return map ? { codes: codes.subarray(0, len), map: map.subarray(0, len) } : { codes: codes.subarray(0, len) };
}

/**
 * The normalized text in a shared scratch buffer: valid only until the next call of this function
 * (or of `fingerprintText`). For callers that use the codes at once (matching).
 */
export function normalizeCodesScratch(text: string, max: number, withMap = false): NormalizedCodes {
  const len = normalizeInto(text, Math.min(max, SCRATCH_CHARS), scratchCodes, withMap ? scratchMap : undefined);
  return withMap ? { codes: scratchCodes.subarray(0, len), map: scratchMap.subarray(0, len) } : { codes: scratchCodes.subarray(0, len) };
}

/** The normalized text as a string (for tests and evidence). */
export function normalizeForMatch(text: string, max: number): string {
  return UTF16.decode(normalizeCodes(text, max).codes);
}

function windowHashes(codes: Uint16Array, start: number): [number, number] {
  let h1 = 0;
  let h2 = 0;
  for (let i = start; i < start + SHINGLE; i++) {
    const c = (codes[i] as number) + 1;
    h1 = (Math.imul(h1, B1) + c) | 0;
    h2 = (Math.imul(h2, B2) + c) | 0;
  }
  return [h1, h2];
}

const DIGIT_BYTES = Uint8Array.from(DIGITS, (ch) => ch.charCodeAt(0));

// Two base64url digits → their 12-bit value (-1 when either is not a digit): 3 reads per hash.
const PAIR_VALUE = new Int16Array(128 * 128).fill(-1);
for (let i = 0; i < 64; i++) {
  for (let j = 0; j < 64; j++) PAIR_VALUE[(DIGITS.charCodeAt(i) << 7) | DIGITS.charCodeAt(j)] = i * 64 + j;
}

/**
 * Writes the fingerprint of (h1, h2) as FINGERPRINT_WIDTH digits into `out` at `at`: h1's 32 bits
 * then h2's high 16, most significant first, 6 bits a digit.
 */
function encode48(h1: number, h2: number, out: Uint8Array, at: number): void {
  const u = h1 >>> 0;
  const v = h2 >>> 16;
  out[at] = DIGIT_BYTES[u >>> 26] as number;
  out[at + 1] = DIGIT_BYTES[(u >>> 20) & 63] as number;
  out[at + 2] = DIGIT_BYTES[(u >>> 14) & 63] as number;
  out[at + 3] = DIGIT_BYTES[(u >>> 8) & 63] as number;
  out[at + 4] = DIGIT_BYTES[(u >>> 2) & 63] as number;
  out[at + 5] = DIGIT_BYTES[((u & 3) << 4) | (v >>> 12)] as number;
  out[at + 6] = DIGIT_BYTES[(v >>> 6) & 63] as number;
  out[at + 7] = DIGIT_BYTES[v & 63] as number;
}

/** 12 bits from two digits at `at` (-1 when either is not a digit or the text ends). */
function pairAt(text: string, at: number): number {
  if (at + 2 > text.length) return -1;
  const c0 = text.charCodeAt(at);
  const c1 = text.charCodeAt(at + 1);
  return (c0 | c1) >= 128 ? -1 : (PAIR_VALUE[(c0 << 7) | c1] as number);
}

/** The (h1, high 16 bits of h2) of an encode48 fingerprint, or undefined when it is not one. */
function decode48(text: string, at: number): [number, number] | undefined {
  const a = pairAt(text, at);
  const b = pairAt(text, at + 2);
  const c = pairAt(text, at + 4);
  const d = pairAt(text, at + 6);
  if ((a | b | c | d) < 0) return undefined;
  return [((a << 20) | (b << 8) | (c >>> 4)) | 0, (((c & 15) << 28) | (d << 16)) | 0];
}

function decode32(text: string, at: number): number | undefined {
  const c0 = text.charCodeAt(at);
  const c1 = text.charCodeAt(at + 1);
  const c2 = text.charCodeAt(at + 2);
  const c3 = text.charCodeAt(at + 3);
  const c4 = text.charCodeAt(at + 4);
  const c5 = text.charCodeAt(at + 5);
  // Past the end charCodeAt is NaN, and NaN | x is x: check the length too.
  if (at + 6 > text.length || (c0 | c1 | c2 | c3 | c4 | c5) >= 128) return undefined;
  const hi = PAIR_VALUE[(c0 << 7) | c1] as number;
  const mid = PAIR_VALUE[(c2 << 7) | c3] as number;
  const lo = PAIR_VALUE[(c4 << 7) | c5] as number;
  if ((hi | mid | lo) < 0) return undefined;
  return (hi * 16_777_216 + mid * 4096 + lo) | 0;
}

export interface Fingerprints {
  /** Concatenated FINGERPRINT_WIDTH-character fingerprints (encode48). */
  readonly hashes: string;
  readonly count: number;
  /** Sampling stride actually used: every shared run of ≥ SHINGLE + stride − 1 chars is found. */
  readonly stride: number;
}

const POW1_SHINGLE = Math.imul(POW1, B1);
const POW2_SHINGLE = Math.imul(POW2, B2);

/** Fingerprints of `text` (first FINGERPRINT_MAX_CHARS), at most `budget`, stride ≥ `minStride`. */
export function fingerprintText(text: string, minStride: number, budget: number): Fingerprints {
  // Normalize exactly as the sink side does (normalizeInto), then keep prefix hashes: the hash of
  // the window [p, p + SHINGLE) is P[p + SHINGLE] − P[p]·B^SHINGLE, the same value as hashing the
  // window on its own (mod 2^32); each character is hashed once however windows overlap.
  const norm = scratchCodes;
  const p1 = scratchPrefix1;
  const p2 = scratchPrefix2;
  const n = normalizeInto(text, FINGERPRINT_MAX_CHARS, norm, undefined);
  let h1 = 0;
  let h2 = 0;
  p1[0] = 0;
  p2[0] = 0;
  for (let i = 0; i < n; i++) {
    const c = norm[i] as number;
    h1 = (Math.imul(h1, B1) + c + 1) | 0;
    h2 = (Math.imul(h2, B2) + c + 1) | 0;
    p1[i + 1] = h1;
    p2[i + 1] = h2;
  }
  const windows = n - SHINGLE + 1;
  if (windows <= 0 || budget <= 0) return { hashes: '', count: 0, stride: minStride };
  const stride = Math.max(minStride, Math.ceil(windows / budget));
  const max = Math.min(budget, Math.ceil(windows / stride));
  const digits = max * FINGERPRINT_WIDTH <= scratchDigits.length ? scratchDigits : new Uint8Array(max * FINGERPRINT_WIDTH);
  let count = 0;
  for (let p = 0; p < windows && count < budget; p += stride) {
    if (!hasDistinctChars(norm, p)) continue;
    const w1 = ((p1[p + SHINGLE] as number) - Math.imul(p1[p] as number, POW1_SHINGLE)) | 0;
    const w2 = ((p2[p + SHINGLE] as number) - Math.imul(p2[p] as number, POW2_SHINGLE)) | 0;
    encode48(w1, w2, digits, count * FINGERPRINT_WIDTH);
    count++;
  }
  return { hashes: count === 0 ? '' : ASCII.decode(digits.subarray(0, count * FINGERPRINT_WIDTH)), count, stride };
}

/** At least MIN_DISTINCT_CHARS distinct characters (by their low 6 bits) in the window at `p`. */
function hasDistinctChars(codes: Uint16Array, p: number): boolean {
  let lo = 0;
  let hi = 0;
  let distinct = 0;
  for (let i = p; i < p + SHINGLE; i++) {
    const b = (codes[i] as number) & 63;
    if (b < 32) {
      const bit = 1 << b;
      if ((lo & bit) === 0) {
        lo |= bit;
        if (++distinct >= MIN_DISTINCT_CHARS) return true;
      }
    } else {
      const bit = 1 << (b - 32);
      if ((hi & bit) === 0) {
        hi |= bit;
        if (++distinct >= MIN_DISTINCT_CHARS) return true;
      }
    }
  }
  return false;
}

/** murmur3 finalizer: spreads the weak low bits of a polynomial hash over the table index. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * Stored fingerprints of several sources, in an open-addressing table (typed arrays, no per-entry
 * allocation); `owner` tells which source a fingerprint came from (the first one added wins).
 */
export class FingerprintIndex {
  private readonly h1: Int32Array;
  private readonly h2: Int32Array;
  private readonly owners: Int32Array;
  private readonly mask: number;
  private entries = 0;

  /**
   * `width`: FINGERPRINT_WIDTH (fingerprintText's), or LEGACY_FINGERPRINT_WIDTH for fingerprints
   * stored before, compared on the same 48 bits.
   */
  constructor(sources: ReadonlyArray<{ readonly hashes: string; readonly owner: number; readonly width?: number }>) {
    let total = 0;
    for (const s of sources) total += Math.floor(s.hashes.length / (s.width ?? FINGERPRINT_WIDTH));
    let capacity = 16;
    while (capacity < total * 2) capacity *= 2;
    this.h1 = new Int32Array(capacity);
    this.h2 = new Int32Array(capacity);
    this.owners = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (const s of sources) this.add(s.hashes, s.owner, s.width ?? FINGERPRINT_WIDTH);
  }

  get size(): number {
    return this.entries;
  }

  private add(hashes: string, owner: number, width: number): void {
    for (let k = 0; k + width <= hashes.length; k += width) {
      let h1: number | undefined;
      let h2: number | undefined;
      if (width === LEGACY_FINGERPRINT_WIDTH) {
        h1 = decode32(hashes, k);
        h2 = decode32(hashes, k + 6);
        if (h2 !== undefined) h2 &= H2_KEPT;
      } else {
        const pair = decode48(hashes, k);
        if (pair !== undefined) [h1, h2] = pair;
      }
      if (h1 === undefined || h2 === undefined) continue;
      let slot = mix(h1) & this.mask;
      while (this.owners[slot] !== -1 && !(this.h1[slot] === h1 && this.h2[slot] === h2)) slot = (slot + 1) & this.mask;
      if (this.owners[slot] !== -1) continue;
      this.h1[slot] = h1;
      this.h2[slot] = h2;
      this.owners[slot] = owner;
      this.entries++;
    }
  }

  /** The owner of the fingerprint of a window with hashes (h1, h2), compared on 48 bits. */
  lookup(h1: number, h2Whole: number): number | undefined {
    const h2 = h2Whole & H2_KEPT;
    let slot = mix(h1) & this.mask;
    for (;;) {
      const owner = this.owners[slot] as number;
      if (owner === -1) return undefined;
      if (this.h1[slot] === h1 && this.h2[slot] === h2) return owner;
      slot = (slot + 1) & this.mask;
    }
  }
}

export interface WindowMatch {
  /** Start of the matching window in the normalized text. */
  readonly at: number;
  readonly owner: number;
}

/** Every SHINGLE-character window of the normalized `codes` whose fingerprint is in `index` (at most 256). */
export function matchWindows(codes: Uint16Array, index: FingerprintIndex): WindowMatch[] {
  const out: WindowMatch[] = [];
  const n = codes.length;
  if (n < SHINGLE || index.size === 0) return out;
  let [h1, h2] = windowHashes(codes, 0);
  for (let p = 0; ; p++) {
    const owner = index.lookup(h1, h2);
    if (owner !== undefined) {
      out.push({ at: p, owner });
      if (out.length >= MAX_MATCHES) return out;
    }
    if (p + SHINGLE >= n) return out;
    const cOut = (codes[p] as number) + 1;
    const cIn = (codes[p + SHINGLE] as number) + 1;
    h1 = (Math.imul(h1 - Math.imul(cOut, POW1), B1) + cIn) | 0;
    h2 = (Math.imul(h2 - Math.imul(cOut, POW2), B2) + cIn) | 0;
  }
}

/** Merged [start, end) spans of matched windows (normalized positions). */
export function matchedSpans(matches: readonly WindowMatch[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of matches) {
    const last = spans[spans.length - 1];
    if (last && m.at <= last[1]) last[1] = Math.max(last[1], m.at + SHINGLE);
    else spans.push([m.at, m.at + SHINGLE]);
  }
  return spans;
}
