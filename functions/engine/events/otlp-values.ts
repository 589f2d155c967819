/**
 * OTLP/JSON value encoding (opentelemetry-proto `common.proto`, JSON mapping): attributes are lists of
 * `{key, value}` where the value is an AnyValue — exactly one of `stringValue`, `boolValue`,
 * `intValue` (a decimal string: 64-bit), `doubleValue`, `bytesValue` (base64), `arrayValue.values[]`
 * or `kvlistValue.values[]`. Decoded into plain JSON; untrusted input, so bounded in depth and size
 * and never throwing.
 */
import { asObject, type JsonObject } from './fields.js';

/** Nesting kept when decoding an AnyValue; deeper values read as absent. */
const MAX_DEPTH = 32;
/** Attributes read per span, resource or log record (the SDKs' default limit is 128). */
export const MAX_ATTRIBUTES = 1000;
/** Entries read per array or kvlist value. */
const MAX_ENTRIES = 1000;

/** A decoded attribute list: key → plain JSON value (a Map, so keys like `__proto__` are inert). */
export type Attributes = ReadonlyMap<string, unknown>;

export const NO_ATTRIBUTES: Attributes = new Map();

function decodeInt(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d{1,20}$/.test(value)) return undefined;
  const n = Number(value);
  // 64-bit integers beyond 2^53 keep their exact digits.
  return Number.isSafeInteger(n) ? n : value;
}

function decodeDouble(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** An AnyValue as plain JSON: string, number, boolean, array or object; `undefined` when empty or malformed. */
export function decodeAnyValue(value: unknown, depth = 0): unknown {
  const v = asObject(value);
  if (!v || depth > MAX_DEPTH) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (v.intValue !== undefined) return decodeInt(v.intValue);
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (v.doubleValue !== undefined) return decodeDouble(v.doubleValue);
  if (typeof v.bytesValue === 'string') return v.bytesValue;
  const array = asObject(v.arrayValue);
  if (array) {
    const values = Array.isArray(array.values) ? array.values : [];
    const out: unknown[] = [];
    const n = Math.min(values.length, MAX_ENTRIES);
    for (let i = 0; i < n; i++) {
      const item = decodeAnyValue(values[i], depth + 1);
      if (item !== undefined) out.push(item);
    }
    return out;
  }
  const kvlist = asObject(v.kvlistValue);
  if (kvlist) return decodeKeyValues(kvlist.values, depth + 1);
  return undefined;
}

/** A `[{key, value}]` list as an object (a `kvlistValue`, a log body's fields). */
function decodeKeyValues(list: unknown, depth: number): JsonObject {
  const out: JsonObject = {};
  if (!Array.isArray(list)) return out;
  const n = Math.min(list.length, MAX_ENTRIES);
  for (let i = 0; i < n; i++) {
    const entry = asObject(list[i]);
    const key = entry?.key;
    if (typeof key !== 'string' || key === '__proto__') continue;
    const value = decodeAnyValue(entry?.value, depth);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** An OTLP attribute list (`resource.attributes`, `span.attributes`, `logRecord.attributes`), decoded. */
export function decodeAttributes(list: unknown): Attributes {
  if (!Array.isArray(list) || list.length === 0) return NO_ATTRIBUTES;
  const out = new Map<string, unknown>();
  const n = Math.min(list.length, MAX_ATTRIBUTES);
  for (let i = 0; i < n; i++) {
    const entry = asObject(list[i]);
    const key = entry?.key;
    if (typeof key !== 'string' || key.length === 0) continue;
    const value = decodeAnyValue(entry?.value);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/**
 * An OTLP 64-bit nanosecond timestamp (`startTimeUnixNano`: a decimal string in OTLP/JSON, a number
 * from some encoders) as nanoseconds; `undefined` when absent, zero (unset) or malformed.
 */
export function unixNanos(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
  else return undefined;
  if (!/^\d{1,20}$/.test(text)) return undefined;
  const nanos = BigInt(text);
  return nanos > 0n ? nanos : undefined;
}

/** Nanoseconds as (fractional) milliseconds. */
export function nanosToMs(nanos: bigint): number {
  return Number(nanos / 1000n) / 1000;
}
