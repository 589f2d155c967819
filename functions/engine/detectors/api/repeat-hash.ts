/**
 * The identity of a tool call for API-LOOP, as a 52-bit number: tool, arguments (as canonical JSON
 * would see them: object key order does not matter, -0 is 0) and outcome. Computed in one pass over
 * the values, without building a JSON string or a digest: this runs for every call.
 *
 * Four 32-bit lanes take FNV-1a-style steps (xor, multiply) round-robin: four short dependency
 * chains the CPU runs side by side. Object entries are hashed separately, finalised and summed, so
 * their order cannot matter. Not a security boundary: a crafted collision only merges two call
 * shapes into one counter (more loop alerts, never fewer).
 */

const MAX_NODES = 2_000;
const MAX_DEPTH = 16;
/** Characters of argument strings hashed structurally; beyond it the canonical JSON is hashed. */
const MAX_CHARS = 65_536;

const M1 = 0x01000193;
const M2 = 0x9e3779b1;
const M3 = 0x85ebca77;
const M4 = 0xc2b2ae3d;

const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT = 4;
const T_NUM = 5;
const T_STR = 6;
const T_ARR = 7;
const T_OBJ = 8;
const T_ENTRY = 9;

let a = 0;
let b = 0;
let c = 0;
let d = 0;
let nodes = 0;
let chars = 0;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * Longer strings are copied (natively) as UTF-16 into this buffer and read two characters per
 * 32-bit word: half the reads and steps of a charCodeAt loop. Words follow the platform's byte
 * order, so identities are per byte order (every Lambda architecture is little-endian).
 */
const WIDE_MIN = 32;
const WIDE_MAX = 4096;
const wide = Buffer.alloc(WIDE_MAX * 2 + 4);
const wideWords = new Int32Array(wide.buffer, wide.byteOffset, wide.length >> 2);

function reset(): void {
  a = 0x811c9dc5;
  b = 0x27d4eb2f;
  c = 0x165667b1;
  d = 0x61c88647;
}

/** murmur3's 32-bit finaliser. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function word(x: number): void {
  a = Math.imul(a ^ x, M1);
  b = Math.imul(b ^ x, M2);
}

/** At most `max` characters of `s`, after its length. */
function text(s: string, max: number): void {
  const n = s.length < max ? s.length : max;
  word(n);
  if (n >= WIDE_MIN && n <= WIDE_MAX) {
    textWide(s, n);
    return;
  }
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a = Math.imul(a ^ s.charCodeAt(i), M1);
    b = Math.imul(b ^ s.charCodeAt(i + 1), M2);
    c = Math.imul(c ^ s.charCodeAt(i + 2), M3);
    d = Math.imul(d ^ s.charCodeAt(i + 3), M4);
  }
  for (; i < n; i++) a = Math.imul(a ^ s.charCodeAt(i), M1);
}

function textWide(s: string, n: number): void {
  const bytes = wide.write(s.length === n ? s : s.slice(0, n), 0, 'utf16le');
  // An odd number of characters leaves half a word: zero it.
  wide[bytes] = 0;
  wide[bytes + 1] = 0;
  const words = (bytes + 2) >> 2;
  let i = 0;
  for (; i + 3 < words; i += 4) {
    a = Math.imul(a ^ (wideWords[i] as number), M1);
    b = Math.imul(b ^ (wideWords[i + 1] as number), M2);
    c = Math.imul(c ^ (wideWords[i + 2] as number), M3);
    d = Math.imul(d ^ (wideWords[i + 3] as number), M4);
  }
  for (; i < words; i++) a = Math.imul(a ^ (wideWords[i] as number), M1);
}

function number(v: number): void {
  if (v === 0) v = 0; // -0 is written "0" in JSON
  if ((v | 0) === v) {
    word(T_INT);
    word(v);
    return;
  }
  f64[0] = v;
  word(T_NUM);
  word(u32[0] as number);
  word(u32[1] as number);
}

/** Hashes `v` structurally; false when it is past the node, depth or character limits. */
function value(v: unknown, depth: number): boolean {
  if (++nodes > MAX_NODES || depth > MAX_DEPTH) return false;
  switch (typeof v) {
    case 'string':
      if ((chars += v.length) > MAX_CHARS) return false;
      word(T_STR);
      text(v, v.length);
      return true;
    case 'number':
      number(v);
      return true;
    case 'boolean':
      word(v ? T_TRUE : T_FALSE);
      return true;
    case 'object':
      if (v === null) break;
      return Array.isArray(v) ? array(v, depth) : object(v as Record<string, unknown>, depth);
    default:
      break;
  }
  // null, and what canonical JSON writes as null (undefined, functions, symbols, bigints).
  word(T_NULL);
  return true;
}

function array(v: readonly unknown[], depth: number): boolean {
  word(T_ARR);
  word(v.length);
  for (let i = 0; i < v.length; i++) if (!value(v[i], depth + 1)) return false;
  return true;
}

/** Each entry hashed from fresh lanes and finalised; the sums do not depend on key order. */
function object(v: Record<string, unknown>, depth: number): boolean {
  const sa = a;
  const sb = b;
  const sc = c;
  const sd = d;
  let sum1 = 0;
  let sum2 = 0;
  let count = 0;
  for (const key in v) {
    if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
    if ((chars += key.length) > MAX_CHARS) return false;
    reset();
    word(T_ENTRY);
    text(key, key.length);
    if (!value(v[key], depth + 1)) return false;
    sum1 = (sum1 + fmix(a ^ Math.imul(c, M3))) | 0;
    sum2 = (sum2 + fmix(b ^ Math.imul(d, M4))) | 0;
    count++;
  }
  a = sa;
  b = sb;
  c = sc;
  d = sd;
  word(T_OBJ);
  word(count);
  word(sum1);
  word(sum2);
  return true;
}

/** What the call returned: error code, isError and result text (or size), error message. */
export interface CallOutcome {
  readonly code: number | undefined;
  readonly isError: boolean;
  readonly text: string | undefined;
  readonly bytes: number | undefined;
  readonly message: string | undefined;
}

const OUTCOME_TEXT_CHARS = 4096;
const OUTCOME_MESSAGE_CHARS = 512;

/**
 * 52 bits (exact as a number) identifying the call `tool(args)` and, when given, its outcome.
 * `canonical` writes the arguments' canonical JSON: hashed instead when they are past the limits.
 */
export function repeatHash(
  tool: string,
  args: unknown,
  outcome: CallOutcome | undefined,
  canonical: (args: unknown) => string,
): number {
  reset();
  text(tool, tool.length);
  nodes = 0;
  chars = 0;
  if (!value(args, 0)) {
    // Too big to walk: the bounded canonical JSON stands for the arguments (order-independent too).
    reset();
    text(tool, tool.length);
    word(T_STR);
    const json = canonical(args);
    text(json, json.length);
  }
  if (outcome !== undefined) {
    word(outcome.code === undefined ? T_NULL : T_INT);
    if (outcome.code !== undefined) number(outcome.code);
    word(outcome.isError ? T_TRUE : T_FALSE);
    if (outcome.text !== undefined) {
      word(T_STR);
      text(outcome.text, OUTCOME_TEXT_CHARS);
    } else if (outcome.bytes !== undefined) number(outcome.bytes);
    else word(T_NULL);
    if (outcome.message !== undefined) {
      word(T_STR);
      text(outcome.message, OUTCOME_MESSAGE_CHARS);
    } else word(T_NULL);
  }
  const high = fmix(a ^ Math.imul(c, M3)) >>> 0;
  const low = fmix(b ^ Math.imul(d, M4)) >>> 12;
  return high * 0x100000 + low;
}
