/**
 * Secret patterns shared by API-SECRET-LEAK (detection) and alert redaction: whatever the engine
 * can recognise as a secret it also removes from every alert it writes. All patterns are anchored
 * on a literal prefix and use no nested quantifiers, so scanning is linear.
 *
 * Documented examples and placeholders (AWS's `AKIAIOSFODNN7EXAMPLE`, the jwt.io sample token,
 * `ghp_xxxx…`, `sk-your-key-here…`) are not secrets: `findSecrets` leaves them out unless asked
 * (`includeExamples`), and redaction asks, so it stays conservative. Free-standing high-entropy
 * strings are not reported (UUIDs, git SHAs, sha256 digests and base64 images all are); entropy
 * only counts for a value under a secret-sounding key or assignment (`password=…`).
 */
import { shannonEntropy } from './leaves.js';

export interface SecretMatch {
  readonly kind: string;
  readonly index: number;
  readonly length: number;
  /** A documented example or placeholder (only returned with `includeExamples`). */
  readonly example?: true;
}

export interface FindSecretsOptions {
  /** Also return documented examples and placeholders, flagged `example: true`. @default false */
  readonly includeExamples?: boolean;
}

interface SecretPattern {
  readonly kind: string;
  readonly re: RegExp;
  /** Extra check on the matched text (entropy, placeholders). */
  readonly accept?: (match: string) => boolean;
}

// The jwt.io sample token's signature (payload {"sub":"1234567890","name":"John Doe",…}).
const JWT_IO_SAMPLE_SIGNATURE = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const EXAMPLE_MARKER = /example|placeholder|redacted|dummy|sample|your[_-]|[_-]here\b|<[^>]*>|\.\.\.|x{8}|X{8}|\*{4}|0{12}/i;

/** A documented example or a placeholder in the shape of a secret. */
function isExampleSecret(kind: string, matched: string): boolean {
  if (kind === 'jwt') return matched.endsWith(JWT_IO_SAMPLE_SIGNATURE);
  // For assignments only the value counts: "your_password = …" names a real key.
  const value = kind === 'password-assignment' || kind === 'aws-secret-access-key' ? matched.replace(/^[^:=]*[:=]\s*["']?/, '') : matched;
  if (EXAMPLE_MARKER.test(value)) return true;
  // A token body of a handful of distinct characters ("ghp_aaaa…", "sk-1234123412341234…") is a placeholder.
  const body = value.replace(/^[A-Za-z]{2,10}[_-]/, '');
  return body.length >= 16 && new Set(body).size < 6;
}

const PLACEHOLDER = /^(?:x+|\*+|\.+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|your[_-]?\w*|changeme|example\w*|redacted|none|null|undefined|true|false|password|secret|token)$/i;

// References to a secret, not the secret: env lookups, template variables, identifiers, calls.
// Dotted paths have short segments (process.env.X), unlike a JWT's long base64url parts.
const REFERENCE =
  /^(?:process\.env\b|os\.(?:environ|getenv)\b|System\.getenv|ENV\[|env\.|\$\{?\w|%\w+%$|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|[a-z]+(?:_[a-z]+)+$|[A-Za-z_$][\w$]{0,30}(?:\.[A-Za-z_$][\w$]{0,30})+(?:\(\)?)?$|[A-Za-z_$][\w$]{0,40}\(\)?$)/;

function looksRandom(value: string): boolean {
  if (value.length < 8 || PLACEHOLDER.test(value) || REFERENCE.test(value)) return false;
  const classes = Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/\d/.test(value)) + Number(/[^A-Za-z0-9]/.test(value));
  return classes >= 2 && shannonEntropy(value) >= 2.5;
}

// Inside a base64 blob (a data: image) a prefix+16 chars can occur by chance: both neighbours are base64.
function notInsideBase64(text: string, index: number, length: number): boolean {
  return !(/[+/]/.test(text.charAt(index - 1)) && /[+/=A-Za-z0-9]/.test(text.charAt(index + length)));
}

const PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'aws-access-key-id',
    re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  },
  {
    kind: 'aws-secret-access-key',
    re: /aws_?secret_?access_?key["']?\s{0,4}[:=]\s{0,4}["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi,
  },
  { kind: 'private-key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,64}\b/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,250}/g },
  { kind: 'slack-webhook', re: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,120}/g },
  { kind: 'stripe-key', re: /\b[sr]k_live_[A-Za-z0-9]{20,200}\b/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'google-oauth-client-secret', re: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g },
  { kind: 'anthropic-key', re: /\bsk-ant-(?:[a-z]{3,6}\d\d-)?[A-Za-z0-9_-]{32,200}/g },
  { kind: 'openai-key', re: /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,200}/g },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g },
  { kind: 'pypi-token', re: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}/g },
  { kind: 'huggingface-token', re: /\bhf_[A-Za-z0-9]{34,40}(?![A-Za-z0-9])/g },
  { kind: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { kind: 'digitalocean-token', re: /\bdo[por]_v1_[a-f0-9]{64}(?![a-f0-9])/g },
  { kind: 'shopify-token', re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![a-fA-F0-9])/g },
  { kind: 'azure-storage-key', re: /\bAccountKey=[A-Za-z0-9+/]{86}==/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{10,2000}/g },
  { kind: 'bearer-token', re: /\bBearer\s{1,4}[A-Za-z0-9._~+/-]{20,2000}=*/g, accept: (m) => looksRandom(m.replace(/^Bearer\s+/, '')) },
  {
    kind: 'password-assignment',
    re: /\b(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key)["']?\s{0,4}[:=]\s{0,4}["']?[^\s"',;&<>]{8,200}/gi,
    accept: (m) => looksRandom(m.replace(/^[^:=]*[:=]\s*["']?/, '')),
  },
  { kind: 'connection-string', re: /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?):\/\/[^\s:@/]{1,100}:[^\s@/]{3,200}@/g },
];

// One cheap pass decides whether any specific pattern can match.
const PREFILTER =
  /AKIA|ASIA|ABIA|ACCA|secret|PRIVATE KEY|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack|k_live_|AIza|GOCSPX-|sk-|npm_|pypi-|hf_|SG\.|do[por]_v1_|shp(?:at|ca|pa|ss)_|AccountKey=|eyJ|Bearer|passw|pwd|api[_-]?key|token|:\/\/[^\s:@/]{1,100}:/i;

/*
 * A faster gate in front of PREFILTER (an /i alternation makes the regex engine try every
 * position): one pass over the text with a rolling window of three characters, each folded to 5
 * bits (ASCII letters case-insensitively, as /i without the u flag folds only ASCII letters; the
 * punctuation below in pairs; anything else to 0), checked against a 32 KiB table.
 * Exact superset: every alternative of PREFILTER contains one of GATE_TRIGRAMS (AKIA→kia,
 * ASIA→sia, ABIA→bia, ACCA→cca, secret→ecr, PRIVATE KEY→vat, gh[pousr]_→h?_, github_pat_→b_p,
 * glpat-→glp, xox…→xox, hooks.slack→.sl, k_live_→k_l, AIza→aiz, GOCSPX-→csp, sk-, npm_→pm_,
 * pypi-→pyp, hf_, SG.→sg., do?_v1_→_v1, shp…→shp, AccountKey=→ey=, eyJ→eyj, Bearer→rer,
 * passw→ssw, pwd, api[_-]?key→api, token→tok, ://), and folding can only merge characters, so a
 * text that matches PREFILTER always passes the gate; PREFILTER itself still decides.
 */
const GATE_TRIGRAMS = [
  'kia', 'sia', 'bia', 'cca', 'ecr', 'vat', 'hp_', 'ho_', 'hu_', 'hs_', 'hr_', 'b_p', 'glp', 'xox', '.sl', 'k_l',
  'aiz', 'csp', 'sk-', 'pm_', 'pyp', 'hf_', 'sg.', '_v1', 'shp', 'ey=', 'eyj', 'rer', 'ssw', 'pwd', 'api', 'tok', '://',
];
const FOLD5 = new Uint8Array(128);
for (let c = 97; c <= 122; c++) FOLD5[c] = FOLD5[c - 32] = c - 96;
FOLD5[95] = FOLD5[45] = 27; // _ -
FOLD5[46] = FOLD5[61] = 28; // . =
FOLD5[58] = FOLD5[47] = 29; // : /
FOLD5[32] = FOLD5[49] = 30; // space 1
const GATE = new Uint8Array(1 << 15);
for (const t of GATE_TRIGRAMS) {
  GATE[((FOLD5[t.charCodeAt(0)] as number) << 10) | ((FOLD5[t.charCodeAt(1)] as number) << 5) | (FOLD5[t.charCodeAt(2)] as number)] = 1;
}

function mayHoldSecret(text: string): boolean {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    w = ((w << 5) | (c < 128 ? (FOLD5[c] as number) : 0)) & 0x7fff;
    if (GATE[w] !== 0) return PREFILTER.test(text);
  }
  return false;
}

export const SECRET_SCAN_MAX_CHARS = 65_536;

const NO_OPTIONS: FindSecretsOptions = {};

// One-entry memo: several detectors scan the same text of one event (a result is scanned by
// API-SECRET-LEAK and AGT-TOXIC-FLOW). Callers get a copy, so none can change what another sees.
let memoText: string | undefined;
let memoExamples = false;
let memoMatches: readonly SecretMatch[] = [];

export function findSecrets(text: string, options: FindSecretsOptions = NO_OPTIONS): SecretMatch[] {
  const examples = options.includeExamples === true;
  if (text !== memoText || examples !== memoExamples) {
    memoMatches = scanSecrets(text, examples);
    memoText = text;
    memoExamples = examples;
  }
  return memoMatches.length === 0 ? [] : memoMatches.slice();
}

function scanSecrets(text: string, includeExamples: boolean): SecretMatch[] {
  const scanned = text.length > SECRET_SCAN_MAX_CHARS ? text.slice(0, SECRET_SCAN_MAX_CHARS) : text;
  if (!mayHoldSecret(scanned)) return [];
  const out: SecretMatch[] = [];
  for (const pattern of PATTERNS) {
    pattern.re.lastIndex = 0;
    for (let m = pattern.re.exec(scanned); m !== null; m = pattern.re.exec(scanned)) {
      if (m[0].length === 0) pattern.re.lastIndex++;
      if (pattern.accept && !pattern.accept(m[0])) continue;
      if (pattern.kind === 'aws-access-key-id' && !notInsideBase64(scanned, m.index, m[0].length)) continue;
      const match = { kind: pattern.kind, index: m.index, length: m[0].length };
      if (!isExampleSecret(pattern.kind, m[0])) out.push(match);
      else if (includeExamples) out.push({ ...match, example: true });
    }
  }
  return out;
}

/**
 * A value stored under a secret-sounding key (`api_key`, `password`, …) that looks random is a
 * secret even without a known prefix.
 */
const SECRET_KEY = /(?:^|[_-])(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|credential|private[_-]?key|auth)(?:$|[_-])/i;

const SECRET_HEADER_KEY = /^(?:authorization|cookie|x-api-key)$/i;
// Argument names repeat across calls: each short one is classified once (bounded memo).
const secretKeyNames = new Map<string, boolean>();
const MEMO_KEY_MAX_CHARS = 64;

export function isSecretKeyName(key: string): boolean {
  if (key.length > MEMO_KEY_MAX_CHARS) return SECRET_KEY.test(key) || SECRET_HEADER_KEY.test(key);
  let secret = secretKeyNames.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key) || SECRET_HEADER_KEY.test(key);
    if (secretKeyNames.size >= 4096) secretKeyNames.clear();
    secretKeyNames.set(key, secret);
  }
  return secret;
}

// Tokens that name a position, not a credential: pagination cursors, idempotency and request ids.
const NON_SECRET_TOKEN_KEY = /(?:page|next|prev|previous|continuation|cursor|sync|resume|pagination|idempotency|request|trace|max|num|count)[_-]?tokens?$/i;

/** A `…token` key that names a position or an id (`page_token`, `nextToken`), not a credential. */
export function isNonSecretTokenKey(key: string): boolean {
  return NON_SECRET_TOKEN_KEY.test(key);
}

export function isSecretValueForKey(key: string, value: string): boolean {
  return (
    isSecretKeyName(key) &&
    !isNonSecretTokenKey(key) &&
    value.length >= 12 &&
    value.length <= 4096 &&
    !/\s/.test(value) &&
    looksRandom(value) &&
    shannonEntropy(value) >= 3.2 &&
    !EXAMPLE_MARKER.test(value)
  );
}

/** Replaces every recognised secret with `[REDACTED:<kind>]`. */
export function redactSecrets(text: string): string {
  const matches = findSecrets(text, { includeExamples: true });
  if (matches.length === 0) return text.length > SECRET_SCAN_MAX_CHARS ? text.slice(0, SECRET_SCAN_MAX_CHARS) : text;
  matches.sort((a, b) => a.index - b.index || b.length - a.length);
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.index < at) continue;
    out += `${text.slice(at, m.index)}[REDACTED:${m.kind}]`;
    at = m.index + m.length;
  }
  return out + text.slice(at, Math.min(text.length, SECRET_SCAN_MAX_CHARS));
}
