/**
 * Long base64/hex blobs in text, found in ONE linear pass (a character loop, no regex over the
 * blob), then decoded (bounded) and classified: `text` (decodes to readable text), `random`
 * (compressed/encrypted: byte entropy near the maximum for its length) or `binary` (structured
 * bytes such as ABI call data or zero-padded records: not reported).
 *
 * Base64 wrapped in lines (MIME, PEM: 64/76-char lines) counts as one blob; a line break only
 * continues a blob after ≥ 40 alphabet characters, so a column of short words never joins up.
 * "Padding tricks": several padded base64 chunks glued together (`aGk=b2s=...`) — no encoder
 * emits padding mid-string, so a chain of them is an attempt to dodge length checks.
 */

export type BlobEncoding = 'base64' | 'hex' | 'padded-base64';
export type DecodedAs = 'text' | 'random' | 'binary';

export interface EncodedBlob {
  readonly encoding: BlobEncoding;
  /** Index in the scanned text. */
  readonly start: number;
  readonly end: number;
  /** Alphabet characters in the blob (padding and line breaks not counted). */
  readonly chars: number;
  readonly decodedAs: DecodedAs;
  /** The decoded bytes (at most MAX_DECODED_BYTES). */
  readonly decoded: Uint8Array;
  /** Declared image type when the blob is the payload of a `data:image/<type>;base64,` URI. */
  readonly dataUriImage?: string;
}

export interface BlobThresholds {
  readonly minBase64Chars: number;
  readonly minHexChars: number;
  readonly minPaddedChunks: number;
  readonly minPaddedChars: number;
}

export const BLOB_SCAN_MAX_CHARS = 65_536;
export const MAX_DECODED_BYTES = 12_288;
/** Classification looks at this many decoded bytes. */
const CLASSIFY_BYTES = 3072;
const MAX_BLOBS = 16;
const LINE_CONTINUES_AFTER = 40;
/** Hex digests and signatures of exactly this length are common (SHA-512, Ed25519): random ones are not blobs. */
const DIGEST_HEX_LENGTH = 128;
/** More than one '/' per this many characters: a path, not base64. */
const PATH_SLASH_RATIO = 12;

// Character classes (ASCII only; anything else ends a run).
const ALNUM = 1;
const STD_SYMBOL = 2; // + /
const URL_SYMBOL = 3; // - _
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = ALNUM;
for (let c = 65; c <= 90; c++) CLASS[c] = ALNUM;
for (let c = 97; c <= 122; c++) CLASS[c] = ALNUM;
CLASS[43] = STD_SYMBOL;
CLASS[47] = STD_SYMBOL;
CLASS[45] = URL_SYMBOL;
CLASS[95] = URL_SYMBOL;

const B64_VALUE = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((ch, i) => {
  B64_VALUE[ch.charCodeAt(0)] = i;
});
B64_VALUE[45] = 62; // url-safe '-'
B64_VALUE[95] = 63; // url-safe '_'

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

interface Run {
  start: number;
  end: number;
  chars: number;
  hex: boolean;
  upper: boolean;
  lower: boolean;
  digit: boolean;
  slashes: number;
  /** `=` characters right after the run (0–2). */
  padding: number;
}

/** Base64 chunks that a padded-chunk chain glues together: each chunk plus its padding is a multiple of 4. */
function endsPaddedChunk(run: Run): boolean {
  return run.padding > 0 && (run.chars + run.padding) % 4 === 0;
}

function scanRuns(text: string, onGroup: (runs: Run[]) => boolean): void {
  const n = text.length;
  let i = 0;
  let group: Run[] = [];
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128 || CLASS[c] === 0) {
      i++;
      continue;
    }
    // `0x…`: the prefix is not part of a hex blob.
    if (c === 48 && (text.charCodeAt(i + 1) | 0x20) === 120 && isHexCode(text.charCodeAt(i + 2))) i += 2;
    const run: Run = { start: i, end: i, chars: 0, hex: true, upper: false, lower: false, digit: false, slashes: 0, padding: 0 };
    let line = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d < 128 && CLASS[d] !== 0) {
        run.chars++;
        line++;
        if (d >= 48 && d <= 57) run.digit = true;
        else if (d >= 65 && d <= 90) run.upper = true;
        else if (d >= 97 && d <= 122) run.lower = true;
        else if (d === 47) run.slashes++;
        if (run.hex && !isHexCode(d)) run.hex = false;
        i++;
        continue;
      }
      // A line break inside wrapped base64 continues the run.
      if ((d === 10 || d === 13) && line >= LINE_CONTINUES_AFTER) {
        let j = i + 1;
        if (d === 13 && text.charCodeAt(j) === 10) j++;
        const next = text.charCodeAt(j);
        if (j < n && next < 128 && CLASS[next] !== 0) {
          i = j;
          line = 0;
          continue;
        }
      }
      break;
    }
    run.end = i;
    let pad = 0;
    while (i < n && pad < 3 && text.charCodeAt(i) === 61) {
      pad++;
      i++;
    }
    run.padding = pad <= 2 ? pad : 0;
    group.push(run);
    const next = text.charCodeAt(i);
    const chained = i < n && endsPaddedChunk(run) && next < 128 && CLASS[next] !== 0;
    if (!chained) {
      if (!onGroup(group)) return;
      group = [];
    }
  }
  if (group.length > 0) onGroup(group);
}

/** Decodes each run on its own (a padded chunk ends its bit group), up to `maxBytes` in all. */
function decodeBase64Runs(text: string, runs: readonly Run[], maxBytes: number): Uint8Array {
  const total = runs.reduce((sum, r) => sum + Math.ceil((r.chars * 3) / 4), 0);
  const out = new Uint8Array(Math.min(maxBytes, total));
  let at = 0;
  for (const run of runs) {
    let acc = 0;
    let bits = 0;
    for (let i = run.start; i < run.end && at < out.length; i++) {
      const c = text.charCodeAt(i);
      const v = c < 128 ? (B64_VALUE[c] as number) : -1;
      if (v < 0) continue; // line breaks of wrapped base64
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[at++] = (acc >> bits) & 0xff;
      }
    }
  }
  return out.subarray(0, at);
}

function decodeHex(text: string, start: number, end: number, maxBytes: number): Uint8Array {
  const out = new Uint8Array(Math.min(maxBytes, Math.floor((end - start) / 2)));
  for (let k = 0; k < out.length; k++) out[k] = parseInt(text.slice(start + 2 * k, start + 2 * k + 2), 16);
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  // Drop a multi-byte sequence cut off by the decode bound.
  let end = bytes.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = bytes[end - k] as number;
    if (b < 0x80) break;
    if (b >= 0xc0) {
      end -= k;
      break;
    }
  }
  try {
    UTF8.decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function byteEntropy(bytes: Uint8Array): number {
  const counts = new Uint32Array(256);
  for (const b of bytes) counts[b] = (counts[b] as number) + 1;
  let bits = 0;
  for (const n of counts) {
    if (n === 0) continue;
    const p = n / bytes.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function classifyBytes(decoded: Uint8Array): DecodedAs {
  const bytes = decoded.length > CLASSIFY_BYTES ? decoded.subarray(0, CLASSIFY_BYTES) : decoded;
  if (bytes.length === 0) return 'binary';
  let control = 0;
  let high = 0;
  for (const b of bytes) {
    if (b >= 0x80) high++;
    else if (b < 0x20 && b !== 9 && b !== 10 && b !== 13) control++;
    else if (b === 0x7f) control++;
  }
  if (control <= bytes.length * 0.05 && (high === 0 || isUtf8(bytes))) return 'text';
  // Random bytes reach ~0.89 of log2(min(n, 256)) even for short samples (measured: n=64 → ≥5.48/6).
  if (byteEntropy(bytes) >= 0.85 * Math.log2(Math.min(bytes.length, 256))) return 'random';
  return 'binary';
}

const DATA_URI_IMAGE = /data:image\/([a-z0-9.+-]{1,20});base64,$/i;

/** The declared image type when the blob at `start` is a `data:image/...;base64,` payload. */
function dataUriImageType(text: string, start: number): string | undefined {
  if (start < 8 || text.charCodeAt(start - 1) !== 44) return undefined;
  const m = DATA_URI_IMAGE.exec(text.slice(Math.max(0, start - 40), start));
  return m?.[1]?.toLowerCase();
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[offset + k] !== prefix[k]) return false;
  return true;
}

const ascii = (s: string): number[] => [...s].map((ch) => ch.charCodeAt(0));

/** The decoded bytes really are an image of a common format (magic numbers). */
export function hasImageMagic(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || // PNG
    startsWith(bytes, [0xff, 0xd8, 0xff]) || // JPEG
    startsWith(bytes, ascii('GIF87a')) ||
    startsWith(bytes, ascii('GIF89a')) ||
    (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) ||
    startsWith(bytes, ascii('BM')) ||
    startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) || // ICO
    startsWith(bytes, ascii('ftypavif'), 4) ||
    startsWith(bytes, ascii('ftypheic'), 4) ||
    startsWith(bytes, ascii('<svg')) ||
    startsWith(bytes, ascii('<?xml'))
  );
}

const JWT_CHAR = /[A-Za-z0-9_.-]/;

/** A base64url segment of a JWT (`eyJ….eyJ….sig`): a bearer token, API-SECRET-LEAK's business. */
function isJwtSegment(text: string, start: number, end: number): boolean {
  if (text.charAt(start - 1) !== '.' && text.charAt(end) !== '.') return false;
  let a = start;
  let b = end;
  while (a > 0 && start - a < 8192 && JWT_CHAR.test(text.charAt(a - 1))) a--;
  while (b < text.length && b - end < 8192 && JWT_CHAR.test(text.charAt(b))) b++;
  const parts = text.slice(a, b).split('.');
  return parts.length === 3 && (parts[0] ?? '').startsWith('eyJ');
}

function evaluateGroup(text: string, runs: Run[], t: BlobThresholds): EncodedBlob | undefined {
  const first = runs[0] as Run;
  const last = runs[runs.length - 1] as Run;
  let chars = 0;
  let slashes = 0;
  let upper = false;
  let lower = false;
  let digit = false;
  for (const r of runs) {
    chars += r.chars;
    slashes += r.slashes;
    upper ||= r.upper;
    lower ||= r.lower;
    digit ||= r.digit;
  }
  const start = first.start;
  const end = last.end + last.padding;
  let encoding: BlobEncoding;
  let decoded: Uint8Array;
  if (runs.length >= t.minPaddedChunks && chars >= t.minPaddedChars) {
    encoding = 'padded-base64';
    decoded = decodeBase64Runs(text, runs, MAX_DECODED_BYTES);
  } else if (runs.length === 1 && first.hex && chars >= t.minHexChars) {
    encoding = 'hex';
    decoded = decodeHex(text, start, first.end, MAX_DECODED_BYTES);
  } else if (chars >= t.minBase64Chars && upper && lower && digit) {
    // A URL or file path has a separator every few characters; base64 has '/' at about 1 in 64.
    if (slashes * PATH_SLASH_RATIO > chars) return undefined;
    if (isJwtSegment(text, start, end)) return undefined;
    encoding = 'base64';
    decoded = decodeBase64Runs(text, runs, MAX_DECODED_BYTES);
  } else {
    return undefined;
  }
  const decodedAs = classifyBytes(decoded);
  if (decodedAs === 'binary') return undefined;
  // A lone SHA-512 digest or Ed25519 signature: random hex of exactly that length is not a blob.
  if (encoding === 'hex' && chars === DIGEST_HEX_LENGTH && decodedAs !== 'text') return undefined;
  const image = encoding === 'base64' ? dataUriImageType(text, start) : undefined;
  return { encoding, start, end, chars, decodedAs, decoded, ...(image !== undefined ? { dataUriImage: image } : {}) };
}

/** Encoded blobs in `text` (first BLOB_SCAN_MAX_CHARS characters), at most 16. */
export function findEncodedBlobs(text: string, thresholds: BlobThresholds): EncodedBlob[] {
  const scanned = text.length > BLOB_SCAN_MAX_CHARS ? text.slice(0, BLOB_SCAN_MAX_CHARS) : text;
  const shortest = Math.min(thresholds.minBase64Chars, thresholds.minHexChars, thresholds.minPaddedChars);
  if (scanned.length < shortest) return [];
  const out: EncodedBlob[] = [];
  scanRuns(scanned, (runs) => {
    const blob = evaluateGroup(scanned, runs, thresholds);
    if (blob) out.push(blob);
    return out.length < MAX_BLOBS;
  });
  return out;
}

/** Decoded bytes as text for secret scanning (latin1 keeps every byte one character). */
export function bytesAsText(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 4096;
  for (let k = 0; k < bytes.length; k += CHUNK) s += String.fromCharCode(...bytes.subarray(k, k + CHUNK));
  return s;
}
