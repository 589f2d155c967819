/**
 * Credential-file paths in text: SSH private keys, cloud/CLI credential stores, dotenv files,
 * package-registry tokens, `/proc/<pid>/environ`, `/etc/shadow`. Shared by AGT-CREDENTIAL-ACCESS
 * (arguments and URIs that touch these files) and the config detectors (tool descriptions that
 * ask for them).
 *
 * Evasions handled: URL encoding (also double: `%252e`), Windows separators
 * (`%USERPROFILE%\.aws\credentials`), doubled separators and `/./` segments, any letter case.
 * Deliberately NOT credentials: public keys (`id_rsa.pub`), dotenv templates (`.env.example`,
 * `.env.sample`, `.env.template`, …), a `.env/` directory (a Python virtualenv), the word
 * "environment", `process.env.X` in code.
 *
 * Every pattern is anchored on a literal, uses only bounded repetition and no nested quantifiers,
 * so a scan is linear in the (capped) input; a literal prefilter skips text that cannot match.
 */

export interface CredentialPath {
  /** The matched path as it reads after decoding (including the directories before it, bounded). */
  readonly path: string;
  /** What it is, e.g. `ssh-private-key`, `aws-credentials`, `dotenv`. */
  readonly kind: string;
}

export const CREDENTIAL_SCAN_MAX_CHARS = 65_536;
/** Most matches returned for one text. */
export const MAX_CREDENTIAL_MATCHES = 16;
const MAX_PATH_PREFIX_CHARS = 160;

interface PathPattern {
  readonly kind: string;
  readonly re: RegExp;
  readonly accept?: (match: string) => boolean;
}

// `E` = the file name ends here: no further name character (so `credentials.bak` still counts only
// when spelled out, and `configuration` is not `config`).
const E = '(?![a-z0-9_-])';
// Not preceded by a name character: `.npmrc` but not `my.npmrc`, `.env` but not `process.env`.
const B = '(?<![a-z0-9_$])';

const DOTENV_TEMPLATE_SUFFIXES = new Set(['example', 'examples', 'sample', 'samples', 'template', 'tmpl', 'tpl', 'dist', 'schema', 'defaults']);

const PATTERNS: readonly PathPattern[] = [
  // .ssh/id_<anything> except a .pub; also .pem/.key/.ppk files kept in .ssh.
  {
    kind: 'ssh-private-key',
    re: new RegExp(`\\.ssh/(?:id_[a-z0-9_-]{1,40}(?!\\.pub|[a-z0-9_-])|[a-z0-9_-]{1,60}\\.(?:pem|key|ppk)${E})`, 'gi'),
  },
  // Standard key file names anywhere (`cat id_rsa`, `keys/id_ed25519_work`), never the .pub.
  { kind: 'ssh-private-key', re: new RegExp(`${B}id_(?:rsa|dsa|ecdsa|ed25519)[a-z0-9_-]{0,40}(?!\\.pub|[a-z0-9_-])`, 'gi') },
  { kind: 'ssh-authorized-keys', re: new RegExp(`\\.ssh/authorized_keys2?${E}`, 'gi') },
  { kind: 'aws-credentials', re: new RegExp(`\\.aws/credentials${E}`, 'gi') },
  { kind: 'aws-config', re: new RegExp(`\\.aws/config${E}`, 'gi') },
  { kind: 'aws-token-cache', re: new RegExp(`\\.aws/(?:sso|cli)/cache${E}`, 'gi') },
  // `.env`, `.env.local`, `.env.production.local`, `.envrc` as a file name; `.env/` is a virtualenv.
  {
    kind: 'dotenv',
    re: new RegExp(`${B}\\.env(?:rc)?(?:\\.[a-z0-9_-]{1,30}){0,3}(?!\\.?[a-z0-9_/-])`, 'gi'),
    accept: (m) => !m.toLowerCase().split('.').some((part) => DOTENV_TEMPLATE_SUFFIXES.has(part)),
  },
  { kind: 'npmrc', re: new RegExp(`${B}\\.npmrc${E}`, 'gi') },
  { kind: 'yarnrc', re: new RegExp(`${B}\\.yarnrc\\.yml${E}`, 'gi') },
  { kind: 'pypirc', re: new RegExp(`${B}\\.pypirc${E}`, 'gi') },
  { kind: 'netrc', re: new RegExp(`${B}[._]netrc${E}`, 'gi') },
  { kind: 'pgpass', re: new RegExp(`${B}\\.pgpass${E}`, 'gi') },
  { kind: 'git-credentials', re: new RegExp(`${B}\\.git-credentials${E}`, 'gi') },
  { kind: 'vault-token', re: new RegExp(`${B}\\.vault-token${E}`, 'gi') },
  { kind: 'kube-config', re: new RegExp(`\\.kube/config(?:[._-][a-z0-9_-]{1,30})?${E}`, 'gi') },
  { kind: 'docker-config', re: new RegExp(`\\.docker/config\\.json${E}`, 'gi') },
  {
    kind: 'gcloud-credentials',
    re: new RegExp(
      `gcloud/(?:credentials\\.db|access_tokens\\.db|legacy_credentials)${E}|${B}application_default_credentials\\.json${E}`,
      'gi',
    ),
  },
  { kind: 'azure-credentials', re: new RegExp(`\\.azure/(?:accesstokens\\.json|msal_token_cache\\.(?:json|bin))${E}`, 'gi') },
  { kind: 'gh-cli-token', re: new RegExp(`\\.config/gh/hosts\\.ya?ml${E}`, 'gi') },
  { kind: 'terraform-credentials', re: new RegExp(`\\.terraform\\.d/credentials\\.tfrc\\.json${E}`, 'gi') },
  { kind: 'gnupg-private-keys', re: new RegExp(`\\.gnupg/(?:private-keys-v1\\.d|secring\\.gpg)${E}`, 'gi') },
  { kind: 'proc-environ', re: new RegExp(`/proc/(?:self|thread-self|\\d{1,10})(?:/task/\\d{1,10})?/environ${E}`, 'gi') },
  { kind: 'shadow', re: new RegExp(`/etc/g?shadow${E}`, 'gi') },
];

// Any match needs one of these literals (or a percent escape that may hide one).
const PREFILTER =
  /ssh|aws|env|npmrc|yarnrc|pypirc|netrc|pgpass|credentials|vault-token|kube|docker|gcloud|azure|gh.hosts|terraform|gnupg|shadow|id_|%[0-9a-f]{2}/i;
const PERCENT_ESCAPE = /%([0-9a-f]{2})/gi;
const HAS_PERCENT_ESCAPE = /%[0-9a-f]{2}/i;
const BACKSLASH = /\\/g;
// `a//b`, `a/./b` → `a/b`; bounded runs so the replacement stays linear.
const REDUNDANT_SEPARATORS = /\/(?:\.?\/){1,16}/g;
const PATH_PREFIX_CHAR = /[A-Za-z0-9_.~$%:@+*?{},\-/]/;

function percentDecode(text: string): string {
  return text.replace(PERCENT_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Decodes and canonicalises separators so one set of patterns sees every spelling. */
export function normalizePathText(text: string): string {
  let out = text;
  // Two rounds cover double encoding (`%252e` → `%2e` → `.`).
  for (let round = 0; round < 2 && HAS_PERCENT_ESCAPE.test(out); round++) out = percentDecode(out);
  if (out.includes('\\')) out = out.replace(BACKSLASH, '/');
  if (out.includes('//') || out.includes('/./')) out = out.replace(REDUNDANT_SEPARATORS, '/');
  return out;
}

/** The match extended back over the path characters before it (`/home/bob/` + `.ssh/id_rsa`). */
function withPrefix(text: string, index: number, match: string): string {
  let start = index;
  while (start > 0 && index - start < MAX_PATH_PREFIX_CHARS && PATH_PREFIX_CHAR.test(text.charAt(start - 1))) start--;
  return text.slice(start, index) + match;
}

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  readonly path: string;
}

export function findCredentialPaths(text: string): CredentialPath[] {
  const capped = text.length > CREDENTIAL_SCAN_MAX_CHARS ? text.slice(0, CREDENTIAL_SCAN_MAX_CHARS) : text;
  if (!PREFILTER.test(capped)) return [];
  const normalized = normalizePathText(capped);
  const hits: Hit[] = [];
  for (const pattern of PATTERNS) {
    pattern.re.lastIndex = 0;
    for (let m = pattern.re.exec(normalized); m !== null; m = pattern.re.exec(normalized)) {
      if (m[0].length === 0) {
        pattern.re.lastIndex++;
        continue;
      }
      if (pattern.accept && !pattern.accept(m[0])) continue;
      hits.push({ start: m.index, end: m.index + m[0].length, kind: pattern.kind, path: withPrefix(normalized, m.index, m[0]) });
      if (hits.length >= MAX_CREDENTIAL_MATCHES * 4) break;
    }
  }
  if (hits.length === 0) return [];
  // One file, one answer: `.ssh/id_rsa` matches both SSH patterns; keep the widest match.
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: CredentialPath[] = [];
  let coveredTo = -1;
  for (const hit of hits) {
    if (hit.end <= coveredTo) continue;
    out.push({ path: hit.path, kind: hit.kind });
    coveredTo = hit.end;
    if (out.length >= MAX_CREDENTIAL_MATCHES) break;
  }
  return out;
}
