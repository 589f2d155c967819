/**
 * `[REDACTED:<kind>]` markers. The project's instrumentation (functions/instrument/redact.ts)
 * replaces each secret it finds in logged arguments and results with this marker, so the secret
 * never reaches the logs — but it was there. API-SECRET-LEAK reports a marker as the secret it
 * stands for and AGT-TOXIC-FLOW treats it as secret content.
 *
 * Only the exact shape counts: `[REDACTED]` (the value of a sensitive key such as `password`, which
 * says nothing about the value) and the word REDACTED in prose ("[REDACTED: names removed]") do not.
 * Cost: one indexOf on text without a marker; the sticky pattern runs only where one starts.
 */
import { isNonSecretTokenKey } from './secrets.js';

export interface RedactionMarker {
  /** The kind named by the marker, e.g. `aws-access-key`, `private-key`, `secret-assignment`. */
  readonly kind: string;
  /** The marker as written (`[REDACTED:aws-access-key]`): the only text evidence may show. */
  readonly marker: string;
  readonly index: number;
  /**
   * The instrumentation recognised a token format (keys, tokens, private keys, credentials in
   * URLs). False for `secret-assignment`: any `token=`/`password:` value of six characters or more,
   * redacted without a randomness check — a secret-named value rather than a known secret format.
   */
  readonly knownFormat: boolean;
}

export const REDACTION_MARKER_OPEN = '[REDACTED:';
export const MARKER_SCAN_MAX_CHARS = 65_536;
export const MAX_REDACTION_MARKERS = 16;

const MARKER = /\[REDACTED:([a-z0-9][a-z0-9_-]{0,39})\]/y;
const ASSIGNMENT_KIND = 'secret-assignment';
/** The key an assignment marker replaced the value of ("page_token=" before the marker). */
const ASSIGNED_KEY = /([A-Za-z0-9_.-]{1,64})["']?\s{0,3}[:=]\s{0,3}["']?$/;
const KEY_LOOKBACK = 80;
const NONE: readonly RedactionMarker[] = Object.freeze([]);

/**
 * The markers in `text` (first MARKER_SCAN_MAX_CHARS characters, at most MAX_REDACTION_MARKERS).
 * Values of pagination and request-id keys (`page_token=[REDACTED:secret-assignment]`) are
 * positions, not secrets, and are left out. Read-only result: do not mutate.
 */
export function findRedactionMarkers(text: string): readonly RedactionMarker[] {
  let at = text.indexOf(REDACTION_MARKER_OPEN);
  if (at < 0) return NONE;
  const limit = Math.min(text.length, MARKER_SCAN_MAX_CHARS);
  let out: RedactionMarker[] | undefined;
  while (at >= 0 && at < limit) {
    MARKER.lastIndex = at;
    const m = MARKER.exec(text);
    if (m === null) {
      at = text.indexOf(REDACTION_MARKER_OPEN, at + 1);
      continue;
    }
    const kind = m[1] as string;
    if (kind !== ASSIGNMENT_KIND || !isPositionValue(text, at)) {
      (out ??= []).push({ kind, marker: m[0], index: at, knownFormat: kind !== ASSIGNMENT_KIND });
      if (out.length >= MAX_REDACTION_MARKERS) break;
    }
    at = text.indexOf(REDACTION_MARKER_OPEN, at + m[0].length);
  }
  return out ?? NONE;
}

function isPositionValue(text: string, markerAt: number): boolean {
  const key = ASSIGNED_KEY.exec(text.slice(Math.max(0, markerAt - KEY_LOOKBACK), markerAt))?.[1];
  return key !== undefined && isNonSecretTokenKey(key);
}
