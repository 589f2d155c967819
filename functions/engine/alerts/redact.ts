/**
 * Evidence going into an alert is redacted (every recognisable secret, every value under a
 * secret-sounding key) and bounded (string length, breadth, depth, total bytes), so an alert can
 * neither leak what it reports nor grow past what SNS and a pager accept.
 */
import { isSecretKeyName, redactSecrets } from '../text/secrets.js';

const MAX_STRING = 256;
const MAX_KEYS = 24;
const MAX_ITEMS = 12;
const MAX_DEPTH = 4;

export function redactText(text: string, max = MAX_STRING): string {
  const clean = redactSecrets(text.length > max * 4 ? text.slice(0, max * 4) : text);
  return clean.length > max ? `${clean.slice(0, max)}…[${clean.length - max} more chars]` : clean;
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
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (n++ >= MAX_KEYS) {
      out['…'] = 'more keys omitted';
      break;
    }
    out[key] = typeof v === 'string' && isSecretKeyName(key) ? '[REDACTED]' : redactValue(v, depth + 1);
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
    if (json.length + size + k.length + 64 <= maxBytes) out[k] = v;
    else dropped.push(k);
  }
  if (dropped.length > 0) out.truncated = dropped.slice(0, 8);
  return out;
}
