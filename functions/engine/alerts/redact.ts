/**
 * The one choke point for text that leaves the engine (alert fields and evidence, SNS subject and
 * attributes, metric dimensions, log fields, the text report): `redactText` makes a string safe for
 * every sink — well-formed UTF-16 (lone surrogates, which no UTF-8 encoder accepts, and control
 * characters SNS/SQS attributes refuse become U+FFFD) — removes every recognisable secret, and only
 * then bounds its length, so a secret crossing the cut is never shown in part.
 * Evidence is also bounded in breadth, depth and total bytes, so an alert can neither leak what it
 * reports nor grow past what SNS and a pager accept.
 */
import { isSecretKeyName, redactSecretsWindow, SECRET_MAX_MATCH_CHARS } from '../text/secrets.js';

const MAX_STRING = 256;
const MAX_KEY = 64;
const MAX_KEYS = 24;
const MAX_ITEMS = 12;
const MAX_DEPTH = 4;

// Lone surrogates, C0 controls other than tab/newline/return, and the non-characters U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const UNSAFE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** `text` with every character no sink can carry replaced by U+FFFD (same length). */
export function sinkSafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, '\uFFFD') : text;
}

/** `text.slice(0, end)` without splitting a surrogate pair. */
export function safeSlice(text: string, end: number): string {
  if (end >= text.length) return text;
  const c = text.charCodeAt(end - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? end - 1 : end);
}

/** Sink-safe, redacted, at most `max` characters (plus a `…[n more chars]` note when cut). */
export function redactText(text: string, max = MAX_STRING): string {
  // Enough input to fill `max` even after redaction shortened it, plus the slack redaction keeps at a cut.
  const window = Math.max(max * 4, 1024) + SECRET_MAX_MATCH_CHARS;
  const head = sinkSafe(text.length > window ? text.slice(0, window + 1) : text);
  const { text: clean, consumed } = redactSecretsWindow(head, window);
  let more = text.length - consumed;
  let out = clean;
  if (out.length > max) {
    const kept = safeSlice(out, max);
    more += out.length - kept.length;
    out = kept;
  }
  return more > 0 ? `${out}…[${more} more chars]` : out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactValue(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…${value.length - MAX_ITEMS} more`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [rawKey, v] of Object.entries(value as Record<string, unknown>)) {
    if (n++ >= MAX_KEYS) {
      out['…'] = 'more keys omitted';
      break;
    }
    // Keys are text that leaves the engine too.
    const key = redactText(rawKey, MAX_KEY);
    const clean = typeof v === 'string' && isSecretKeyName(rawKey) ? '[REDACTED]' : redactValue(v, depth + 1);
    Object.defineProperty(out, key, { value: clean, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Redacted, bounded copy of `evidence`; at most `maxBytes` of JSON. */
export function redactEvidence(evidence: Readonly<Record<string, unknown>> | undefined, maxBytes: number): Record<string, unknown> {
  if (!evidence) return {};
  const clean = redactValue(evidence, 0) as Record<string, unknown>;
  let json = JSON.stringify(clean);
  if (json.length <= maxBytes) return clean;
  // Too big: keep the smallest fields first, then note what was dropped.
  const out: Record<string, unknown> = {};
  const entries = Object.entries(clean).map(([k, v]) => [k, v, JSON.stringify(v)?.length ?? 0] as const);
  entries.sort((a, b) => a[2] - b[2]);
  const dropped: string[] = [];
  for (const [k, v, size] of entries) {
    json = JSON.stringify(out);
    if (json.length + size + k.length + 64 <= maxBytes) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else dropped.push(k);
  }
  if (dropped.length > 0) out.truncated = dropped.slice(0, 8);
  return out;
}
