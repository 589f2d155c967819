/**
 * Secret patterns shared by API-SECRET-LEAK (detection) and alert redaction: whatever the engine
 * can recognise as a secret it also removes from every alert it writes. All patterns are anchored
 * on a literal prefix and use no nested quantifiers, so scanning is linear.
 */
import { shannonEntropy } from './leaves.js';

export interface SecretMatch {
  readonly kind: string;
  readonly index: number;
  readonly length: number;
}

interface SecretPattern {
  readonly kind: string;
  readonly re: RegExp;
  /** Extra check on the matched text (entropy, placeholders). */
  readonly accept?: (match: string) => boolean;
}

const PLACEHOLDER = /^(?:x+|\*+|\.+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|your[_-]?\w*|changeme|example\w*|redacted|none|null|undefined|true|false|password|secret|token)$/i;

function looksRandom(value: string): boolean {
  if (value.length < 8 || PLACEHOLDER.test(value)) return false;
  const classes = Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/\d/.test(value)) + Number(/[^A-Za-z0-9]/.test(value));
  return classes >= 2 && shannonEntropy(value) >= 2.5;
}

const PATTERNS: readonly SecretPattern[] = [
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
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
  { kind: 'openai-key', re: /\bsk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{32,200}/g },
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
  /AKIA|ASIA|ABIA|ACCA|secret|PRIVATE KEY|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack|k_live_|AIza|sk-|eyJ|Bearer|passw|pwd|api[_-]?key|token|:\/\/[^\s:@/]{1,100}:/i;

export const SECRET_SCAN_MAX_CHARS = 65_536;

export function findSecrets(text: string): SecretMatch[] {
  const scanned = text.length > SECRET_SCAN_MAX_CHARS ? text.slice(0, SECRET_SCAN_MAX_CHARS) : text;
  if (!PREFILTER.test(scanned)) return [];
  const out: SecretMatch[] = [];
  for (const pattern of PATTERNS) {
    pattern.re.lastIndex = 0;
    for (let m = pattern.re.exec(scanned); m !== null; m = pattern.re.exec(scanned)) {
      if (!pattern.accept || pattern.accept(m[0])) out.push({ kind: pattern.kind, index: m.index, length: m[0].length });
      if (m[0].length === 0) pattern.re.lastIndex++;
    }
  }
  return out;
}

/**
 * A value stored under a secret-sounding key (`api_key`, `password`, …) that looks random is a
 * secret even without a known prefix.
 */
const SECRET_KEY = /(?:^|[_-])(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|credential|private[_-]?key|auth)(?:$|[_-])/i;

export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY.test(key) || /^(?:authorization|cookie|x-api-key)$/i.test(key);
}

export function isSecretValueForKey(key: string, value: string): boolean {
  return isSecretKeyName(key) && value.length >= 12 && value.length <= 4096 && !/\s/.test(value) && looksRandom(value) && shannonEntropy(value) >= 3.2;
}

/** Replaces every recognised secret with `[REDACTED:<kind>]`. */
export function redactSecrets(text: string): string {
  const matches = findSecrets(text);
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
