/**
 * Secret redaction and size bounding for what the instrumentation logs. Deliberately local and
 * dependency-free: the instrumentation runs inside users' MCP servers and must not pull in the
 * engine. Two mechanisms:
 *   - sensitive key names (password, token, apiKey, authorization, cookie, ...) → "[REDACTED]";
 *   - secret-looking values anywhere in a string → the matched part becomes "[REDACTED:<kind>]",
 *     so the surrounding text (a path, a URL host, an email body) stays visible to detectors.
 * Every regex is linear (no nested or ambiguous quantifiers) and every input is bounded.
 */

export const REDACTED = '[REDACTED]';
export const TRUNCATED = '[TRUNCATED]';

/** Normalized (lowercase, alphanumerics only) key names: a key is sensitive if it ends with one. */
const SENSITIVE_KEY_SUFFIXES = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
];

interface SecretPattern {
  kind: string;
  regex: RegExp;
  /** Replacement keeping a prefix group (e.g. "Bearer ") when the pattern captures one. */
  keepPrefix: boolean;
}

const SECRET_PATTERNS: readonly SecretPattern[] = [
  // A whole PEM private key block; a block cut off by truncation is redacted to the end of the input.
  {
    kind: 'private-key',
    regex:
      /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g,
    keepPrefix: false,
  },
  // Before jwt: "Bearer <jwt>" is reported as the bearer token it is.
  { kind: 'bearer-token', regex: /\b(Bearer\s{1,8})[A-Za-z0-9._~+/-]{8,}=*/gi, keepPrefix: true },
  { kind: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, keepPrefix: false },
  {
    kind: 'aws-access-key',
    regex: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g,
    keepPrefix: false,
  },
  {
    kind: 'github-token',
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g,
    keepPrefix: false,
  },
  { kind: 'slack-token', regex: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, keepPrefix: false },
  { kind: 'api-key', regex: /\b(?:sk-[A-Za-z0-9_-]{20,}|[rs]k_live_[A-Za-z0-9]{16,})/g, keepPrefix: false },
  {
    kind: 'aws-secret-key',
    regex: /(aws_?secret_?access_?key["']?\s{0,3}[:=]\s{0,3}["']?)[A-Za-z0-9/+=]{40}/gi,
    keepPrefix: true,
  },
  // scheme://user:password@host — keeps the user and the host (SSRF detection needs the host).
  {
    kind: 'url-credential',
    regex: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/?#]{1,128}:)[^\s@/?#]{1,256}(?=@)/gi,
    keepPrefix: true,
  },
  // password=..., "api_key": "...", ?token=..., aws_secret_access_key = ... (env files, configs, URLs).
  {
    kind: 'secret-assignment',
    // The value must not be an earlier redaction or an auth scheme ("token: Bearer [REDACTED:...]").
    regex:
      /((?:password|passwd|secret|token|api[_-]?key|access[_-]?key)["']?\s{0,3}[:=]\s{0,3}["']?)(?!\[REDACTED)(?!(?:Bearer|Basic)\s)[^\s"',;&}]{6,}/gi,
    keepPrefix: true,
  },
];

// Cheap passes that rule out almost every string before the individual patterns run: the
// case-sensitive markers first, then the keywords on a lowercased copy (faster than one /i regex).
const MIGHT_HOLD_SECRET_MARKER =
  /-----BEGIN|A[KS]IA|ABIA|ACCA|eyJ|gh[pousr]_|github_pat_|xox[abprs]-|sk-|k_live_|:\/\/[^\s/@]{1,128}@/;
const MIGHT_HOLD_SECRET_KEYWORD = /bearer|passw|secret|token|api[_-]?key|access[_-]?key/;

function mightHoldSecret(text: string): boolean {
  return MIGHT_HOLD_SECRET_MARKER.test(text) || MIGHT_HOLD_SECRET_KEYWORD.test(text.toLowerCase());
}

/** Characters scanned beyond the kept prefix, so a secret straddling the cut is still recognised. */
const SCAN_MARGIN_CHARS = 4096;
const MAX_DEPTH = 12;
const MAX_NODES = 1000;

export function normalizeKeyName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Replaces secret-looking parts of `text`; cheap when nothing looks secret. */
export function redactSecretsInText(text: string): string {
  if (text.length < 8 || !mightHoldSecret(text)) return text;
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    pattern.regex.lastIndex = 0;
    const marker = `[REDACTED:${pattern.kind}]`;
    out = pattern.keepPrefix
      ? out.replace(pattern.regex, (_match, prefix: string) => prefix + marker)
      : out.replace(pattern.regex, marker);
  }
  return out;
}

export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` that is at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes)
    return { text, truncated: false };
  const bytes = Buffer.from(text.length > maxBytes ? text.slice(0, maxBytes) : text, 'utf8');
  let end = Math.max(0, maxBytes);
  // Back off continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

/** Redacts, then truncates to `maxBytes`; scans only a bounded window of a huge string. */
export function boundedRedactedText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const window =
    text.length > maxBytes + SCAN_MARGIN_CHARS ? text.slice(0, maxBytes + SCAN_MARGIN_CHARS) : text;
  const redacted = redactSecretsInText(window);
  const cut = truncateUtf8(redacted, maxBytes);
  return { text: cut.text, truncated: cut.truncated || window !== text };
}

export interface Redactor {
  /** A JSON-safe copy of `value` with sensitive keys and secret values redacted and strings bounded. */
  redactValue(value: unknown): unknown;
  /** `text` redacted and truncated to the configured byte limit. */
  redactText(text: string): { text: string; truncated: boolean };
}

export function createRedactor(options: {
  maxStringBytes: number;
  extraKeyNames?: readonly string[];
}): Redactor {
  const suffixes = [...SENSITIVE_KEY_SUFFIXES, ...(options.extraKeyNames ?? []).map(normalizeKeyName)].filter(
    (suffix) => suffix.length > 0,
  );
  const sensitiveKeyCache = new Map<string, boolean>();
  const isSensitiveKey = (key: string): boolean => {
    let known = sensitiveKeyCache.get(key);
    if (known === undefined) {
      const normalized = normalizeKeyName(key);
      known = suffixes.some((suffix) => normalized.endsWith(suffix));
      if (sensitiveKeyCache.size < 4096) sensitiveKeyCache.set(key, known);
    }
    return known;
  };
  const maxBytes = options.maxStringBytes;

  const redactValue = (root: unknown): unknown => {
    let budget = MAX_NODES;
    const visit = (value: unknown, depth: number): unknown => {
      if (budget-- <= 0) return TRUNCATED;
      if (typeof value === 'string') return boundedRedactedText(value, maxBytes).text;
      if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
      if (typeof value !== 'object') return undefined; // functions, symbols, bigint: not JSON
      if (depth >= MAX_DEPTH) return TRUNCATED;
      if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (const item of value) {
          if (budget <= 0) {
            out.push(TRUNCATED);
            break;
          }
          out.push(visit(item, depth + 1));
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (budget <= 0) {
          out[TRUNCATED] = true;
          break;
        }
        const child = (value as Record<string, unknown>)[key];
        if (isSensitiveKey(key) && child !== null && child !== undefined && typeof child !== 'boolean') {
          budget--;
          out[key] = REDACTED;
        } else {
          out[key] = visit(child, depth + 1);
        }
      }
      return out;
    };
    return visit(root, 0);
  };

  return { redactValue, redactText: (text) => boundedRedactedText(text, maxBytes) };
}
