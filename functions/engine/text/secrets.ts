/**
 * Secret formats shared by API-SECRET-LEAK (detection) and alert redaction: whatever the engine
 * can recognise as a secret it also removes from every alert it writes. The formats are one
 * catalogue (SECRET_CATALOGUE, the shared `{id, description, match, nomatch}` shape); its entries
 * were reviewed against gitleaks' rule catalogue (prefix-anchored provider tokens). Every pattern
 * is anchored on a literal prefix (or, for the few redaction-only shapes, a fixed length) and uses
 * no nested quantifiers, so scanning is linear; the ReDoS suite (test/adversarial) checks that.
 *
 * Documented examples and placeholders (AWS's `AKIAIOSFODNN7EXAMPLE`, the jwt.io sample token,
 * `ghp_xxxx…`, `sk-your-key-here…`) are not secrets: `findSecrets` leaves them out unless asked
 * (`includeExamples`), and redaction asks, so it stays conservative. Free-standing high-entropy
 * strings are not reported (UUIDs, git SHAs, sha256 digests and base64 images all are); entropy
 * only counts for a value under a secret-sounding key or assignment (`password=…`). The one
 * exception is redaction-only: a free-standing 40-character AWS secret access key is masked in
 * alerts (never reported as a finding), since it leaks a credential wherever it lands.
 *
 * Secrets glued to an identifier (`token_ghp_…`, `idAKIA…`) are found: distinctive prefixes need
 * no boundary before them; short ones (`sk-`, `hf_`, `SK`) need no letter or digit before them.
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

/** One secret format, in the shape every pattern catalogue shares (functions/engine/text/catalogues.ts). */
export interface SecretFormat {
  /** The kind reported and written into redaction markers (`[REDACTED:<id>]`). */
  readonly id: string;
  readonly description: string;
  /** Texts holding a secret of this kind (fake values, generated below: never real secrets). */
  readonly match: readonly string[];
  /** Near misses: texts that must not be reported as this kind. */
  readonly nomatch: readonly string[];
  readonly pattern: RegExp;
  /**
   * Literals one of which every match contains (case-insensitively): the gate that decides which
   * patterns run on a text. Empty for redaction-only shapes without a literal.
   */
  readonly prefixes: readonly string[];
  /** Only masked in alerts, never reported as a finding (shape too generic for detection). */
  readonly redactionOnly?: true;
  /** Extra check on the matched text and its surroundings (entropy, placeholders, boundaries). */
  readonly accept?: (match: string, text: string, index: number) => boolean;
}

// ---- fake values for the catalogue's examples: deterministic, pattern-valid, never real ----

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}_-`;
let fakeSeed = 0x5eed;
/** A pseudo-random string over `alphabet` (mulberry32; the same values on every load). */
function fake(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    fakeSeed = (fakeSeed + 0x6d2b79f5) | 0;
    let t = Math.imul(fakeSeed ^ (fakeSeed >>> 15), 1 | fakeSeed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}

// The jwt.io sample token's signature (payload {"sub":"1234567890","name":"John Doe",…}).
const JWT_IO_SAMPLE_SIGNATURE = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const EXAMPLE_MARKER = /example|placeholder|redacted|dummy|sample|your[_-]|[_-]here\b|<[^<>]{0,64}>|\.\.\.|x{8}|X{8}|\*{4}|0{12}/i;

const ASSIGNMENT_VALUE = /^[^:=]*[:=]\s*["']?/;

/** A documented example or a placeholder in the shape of a secret. */
function isExampleSecret(kind: string, matched: string): boolean {
  if (kind === 'jwt') return matched.endsWith(JWT_IO_SAMPLE_SIGNATURE);
  // For assignments only the value counts: "your_password = …" names a real key.
  const value = kind === 'password-assignment' || kind === 'aws-secret-access-key' ? matched.replace(ASSIGNMENT_VALUE, '') : matched;
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

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * An AWS key id glued to a lower-case identifier (`idAKIA…`, `key_AKIA…`) counts when its body has
 * digits; after a digit or an upper-case letter it is a chance run inside a longer code. Inside a
 * base64 blob (a data: image) a prefix+16 chars can occur by chance: both neighbours are base64.
 */
function acceptAwsKeyId(match: string, text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  if (/[+/]/.test(text.charAt(index - 1)) && /[+/=A-Za-z0-9]/.test(text.charAt(index + match.length))) return false;
  if (index === 0 || !isAlnumCode(before)) return true;
  if (before < 97 || before > 122) return false;
  let digits = 0;
  for (let i = 4; i < match.length; i++) if (match.charCodeAt(i) <= 57) digits++;
  return digits >= 2;
}

/** `Basic <base64>` is a credential when it decodes to printable `user:password`. */
function acceptBasicAuth(match: string): boolean {
  const encoded = match.replace(/^[Bb]asic\s+/, '');
  if (encoded.length % 4 === 1) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return false;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/** A free-standing 40-character AWS secret access key: base64 alphabet, all three classes, random. */
function acceptBareAwsSecret(match: string): boolean {
  if (!/[a-z]/.test(match) || !/[A-Z]/.test(match) || !/\d/.test(match)) return false;
  if (match.startsWith('/') || match.endsWith('/') || match.includes('//')) return false;
  let symbols = 0;
  for (let i = 0; i < match.length; i++) if (match[i] === '/' || match[i] === '+') symbols++;
  // Words are not random: identifiers (`TestClusterOpenIdConnectProviderE18F0FD0`) and paths
  // (`com/AWSEC2/latest/UserGuide/instancedata`) hold several runs of five or more lower-case
  // letters; 40 random base64 characters rarely hold two.
  const words = match.match(/[a-z]{5,}/g)?.length ?? 0;
  return symbols <= 3 && words < 2 && shannonEntropy(match) >= 4.2;
}

const SCHEMES = 'postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]{2,12}|https?|ftps?|sftp|ssh|smtps?|imaps?|ldaps?';

/** Connection strings with a password; over http(s)/ftp a placeholder-looking password does not count. */
function acceptUrlCredential(match: string): boolean {
  const scheme = match.slice(0, match.indexOf(':'));
  const password = match.slice(match.lastIndexOf(':', match.length - 2) + 1, -1);
  if (/^(?:https?|ftps?)$/i.test(scheme)) return looksRandom(password) || password.length >= 12;
  return true;
}

const AWS_SECRET_EXAMPLE = fake(B64, 40);
const PRIVATE_KEY_BODY = `${fake(B64, 64)}\n${fake(B64, 64)}\n${fake(B64, 24)}==`;

/**
 * The catalogue. Order matters only for the order of matches of one text (tests and evidence list
 * kinds in catalogue order); overlapping matches are redacted by the longest one starting first.
 */
export const SECRET_CATALOGUE: readonly SecretFormat[] = [
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id (AKIA long-term, ASIA temporary, ABIA/ACCA)',
    pattern: /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    accept: acceptAwsKeyId,
    match: [`key AKIA${fake(UPPER_DIGITS, 16)} end`, `idAKIA${fake('ABCDEFGH234567', 14)}42`, `user_ASIA${fake(UPPER_DIGITS, 14)}23_x`],
    nomatch: ['AKIA', `MAKIA${fake('ABCDEFGH', 16)}`, `data:image/png;base64,iVBO+AKIA${fake(UPPER_DIGITS, 16)}+AAAA`, `1AKIA${fake(UPPER_DIGITS, 16)}`],
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key under its key name',
    pattern: /aws_?secret_?access_?key["']?\s{0,4}[:=]\s{0,4}["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi,
    prefixes: ['aws'],
    match: [`AWS_SECRET_ACCESS_KEY=${AWS_SECRET_EXAMPLE}`, `"aws_secret_access_key": "${fake(B64, 40)}"`],
    nomatch: [`aws_secret_access_key = ${fake(B64, 20)}`],
  },
  {
    id: 'private-key',
    description: 'PEM private key: the BEGIN line, the body and the END line',
    pattern: /-----BEGIN [A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----/g,
    prefixes: ['PRIVATE KEY'],
    match: [
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${PRIVATE_KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----`,
      `"key":"-----BEGIN RSA PRIVATE KEY-----\\n${fake(B64, 64)}\\n${fake(B64, 12)}=="`,
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
    ],
    nomatch: ['-----BEGIN PUBLIC KEY-----', '-----BEGIN CERTIFICATE-----', 'a private key is kept in a vault'],
  },
  {
    id: 'github-token',
    description: 'GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs',
    pattern: /(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
    prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    match: [`token ghp_${fake(ALNUM, 36)}`, `token_ghp_${fake(ALNUM, 36)}`, `github_pat_${fake(ALNUM, 22)}_${fake(ALNUM, 59)}`],
    nomatch: [`ghp_${fake(ALNUM, 20)}`, 'the ghp_ prefix marks a personal access token', `ghp_${'x'.repeat(36)}`],
  },
  {
    id: 'gitlab-token',
    description: 'GitLab personal, pipeline trigger, deploy, runner and feed tokens',
    pattern: /(?:glpat-|glptt-|gldt-|glrt-|glft-|glsoat-|GR1348941)[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g,
    prefixes: ['glpat-', 'glptt-', 'gldt-', 'glrt-', 'glft-', 'glsoat-', 'GR1348941'],
    match: [`x glpat-${fake(ALNUM, 20)} y`, `gldt-${fake(ALNUM, 20)}`, `GR1348941${fake(ALNUM, 20)}`],
    nomatch: ['glpat-short', 'see glpat- tokens in the docs'],
  },
  {
    id: 'slack-token',
    description: 'Slack bot, user, app-level, configuration and legacy tokens',
    pattern: /(?:xox[abposre]-[A-Za-z0-9-]{10,250}|xoxe\.xox[bp]-\d-[A-Za-z0-9]{20,250}|xapp-\d-[A-Z0-9]{5,20}-\d{5,20}-[A-Za-z0-9]{20,100})/g,
    prefixes: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe', 'xapp-'],
    match: [`x xoxb-1234567890-${fake(ALNUM, 12)} y`, `xapp-1-A${fake('ABCDEFGHJK0123456789', 10)}-4${fake('0123456789', 12)}-${fake(HEX, 64)}`],
    nomatch: ['xoxb-short', 'xapp-1-ABC'],
  },
  {
    id: 'slack-webhook',
    description: 'Slack incoming webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/]{20,120}/g,
    prefixes: ['hooks.slack.com'],
    match: [`https://hooks.slack.com/services/T${fake(ALNUM, 8)}/B${fake(ALNUM, 8)}/${fake(ALNUM, 24)}`],
    nomatch: ['https://hooks.slack.com/services/'],
  },
  {
    id: 'stripe-key',
    description: 'Stripe live secret and restricted keys',
    pattern: /(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{20,200}(?![A-Za-z0-9])/g,
    prefixes: ['sk_live_', 'rk_live_'],
    match: [`x sk_live_${fake(ALNUM, 24)} y`, `key_rk_live_${fake(ALNUM, 24)}`],
    nomatch: ['sk_live_short', `sk_test_${fake(ALNUM, 24)}`],
  },
  {
    id: 'webhook-secret',
    description: 'Stripe and Svix webhook signing secrets (whsec_)',
    pattern: /whsec_[A-Za-z0-9+/]{24,100}={0,2}/g,
    prefixes: ['whsec_'],
    match: [`STRIPE_WEBHOOK=whsec_${fake(ALNUM, 32)}`, `secret:whsec_${fake(B64, 32)}=`],
    nomatch: ['whsec_short', 'the whsec_ prefix'],
  },
  {
    id: 'google-api-key',
    description: 'Google API key',
    pattern: /AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    prefixes: ['AIza'],
    match: [`key=AIza${fake(B64URL, 35)}`],
    nomatch: [`AIza${fake(ALNUM, 20)}`],
  },
  {
    id: 'google-oauth-client-secret',
    description: 'Google OAuth client secret',
    pattern: /GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
    prefixes: ['GOCSPX-'],
    match: [`GOCSPX-${fake(ALNUM, 28)}`],
    nomatch: [`GOCSPX-${fake(ALNUM, 10)}`],
  },
  {
    id: 'anthropic-key',
    description: 'Anthropic API and admin keys',
    pattern: /(?<![A-Za-z0-9])sk-ant-(?:[a-z]{3,6}\d\d-)?[A-Za-z0-9_-]{32,200}/g,
    prefixes: ['sk-ant-'],
    match: [`x sk-ant-api03-${fake(B64URL, 90)} y`, `key_sk-ant-admin01-${fake(ALNUM, 40)}`],
    nomatch: ['sk-ant-api03-short'],
  },
  {
    id: 'openai-key',
    description: 'OpenAI project, service-account, admin and legacy keys',
    pattern: /(?<![A-Za-z0-9])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,200}/g,
    prefixes: ['sk-'],
    match: [`x sk-proj-${fake(ALNUM, 48)} y`, `OPENAI_sk-${fake(ALNUM, 48)}`],
    nomatch: ['desk-management-and-operations-team-wide', 'risk-assessment-for-the-quarterly-planning-cycle'],
  },
  {
    id: 'npm-token',
    description: 'npm access token',
    pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
    prefixes: ['npm_'],
    match: [`//registry.npmjs.org/:_authToken=npm_${fake(ALNUM, 36)}`],
    nomatch: ['npm_config_cache', `pnpm_${fake(ALNUM, 36)}`],
  },
  {
    id: 'pypi-token',
    description: 'PyPI upload token',
    pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}/g,
    prefixes: ['pypi-AgEI'],
    match: [`pypi-AgEIcHlwaS5vcmc${fake(B64URL, 70)}`],
    nomatch: ['pypi-AgEIcHlwaS5vcmc'],
  },
  {
    id: 'huggingface-token',
    description: 'Hugging Face user and organisation tokens',
    pattern: /(?<![A-Za-z0-9])(?:hf_[A-Za-z0-9]{34,40}|api_org_[A-Za-z0-9]{34})(?![A-Za-z0-9])/g,
    prefixes: ['hf_', 'api_org_'],
    match: [`HF_TOKEN hf_${fake(ALNUM, 34)}`, `api_org_${fake(ALNUM, 34)}`],
    nomatch: [`pdf_${fake(ALNUM, 34)}`, 'hf_hub_download'],
  },
  {
    id: 'sendgrid-key',
    description: 'SendGrid API key',
    pattern: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    prefixes: ['SG.'],
    match: [`SG.${fake(B64URL, 22)}.${fake(B64URL, 43)}`],
    nomatch: ['SG.short.short'],
  },
  {
    id: 'digitalocean-token',
    description: 'DigitalOcean personal, OAuth and refresh tokens',
    pattern: /do[por]_v1_[a-f0-9]{64}(?![a-f0-9])/g,
    prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    match: [`dop_v1_${fake(HEX, 64)}`],
    nomatch: [`dop_v1_${fake(HEX, 20)}`],
  },
  {
    id: 'shopify-token',
    description: 'Shopify access, custom-app, private-app and shared secrets',
    pattern: /shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![a-fA-F0-9])/g,
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    match: [`shpat_${fake(HEX, 32)}`],
    nomatch: [`shpat_${fake(HEX, 12)}`],
  },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account key in a connection string',
    pattern: /AccountKey=[A-Za-z0-9+/]{86}==/g,
    prefixes: ['AccountKey='],
    match: [`DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${fake(B64, 86)}==`],
    nomatch: ['AccountKey=;'],
  },
  {
    id: 'azure-shared-access-key',
    description: 'Azure Service Bus / Event Hubs / IoT SharedAccessKey in a connection string',
    pattern: /SharedAccessKey=[A-Za-z0-9+/]{20,100}={0,2}/g,
    prefixes: ['SharedAccessKey='],
    match: [`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${fake(B64, 43)}=`],
    nomatch: ['SharedAccessKeyName=RootManageSharedAccessKey;', 'SharedAccessKey=short'],
  },
  {
    id: 'azure-sas-signature',
    description: 'Azure shared access signature (`sig=` of a SAS URL or token)',
    pattern: /(?<=[?&;]|^)sig=[A-Za-z0-9%+/]{20,200}(?:%3D|%3d|=){0,2}/g,
    prefixes: ['sig='],
    match: [`https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-12-01&sp=r&sig=${fake(ALNUM, 40)}%3D`],
    nomatch: ['config=sig=abc', 'the sig= parameter of a SAS'],
  },
  {
    id: 'twilio-api-key',
    description: 'Twilio API key SID (SK + 32 hex)',
    pattern: /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g,
    prefixes: ['SK'],
    match: [`key SK${fake(HEX, 32)}`, `twilio_SK${fake(HEX, 32)}`],
    nomatch: [`ASK${fake(HEX, 32)}`, `SK${fake(HEX, 20)}`],
  },
  {
    id: 'age-secret-key',
    description: 'age encryption secret key',
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/g,
    prefixes: ['AGE-SECRET-KEY-1'],
    match: [`AGE-SECRET-KEY-1${fake('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`],
    nomatch: ['AGE-SECRET-KEY-1'],
  },
  {
    id: 'onepassword-token',
    description: '1Password service-account token',
    pattern: /ops_eyJ[A-Za-z0-9+/]{250,2000}={0,3}/g,
    prefixes: ['ops_eyJ'],
    match: [`OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ${fake(B64, 260)}`],
    nomatch: ['ops_eyJshort'],
  },
  {
    id: 'atlassian-token',
    description: 'Atlassian API token',
    pattern: /ATATT3[A-Za-z0-9_=-]{180,200}(?![A-Za-z0-9_=-])/g,
    prefixes: ['ATATT3'],
    match: [`ATATT3${fake(B64URL, 186)}`],
    nomatch: ['ATATT3xFf'],
  },
  {
    id: 'databricks-token',
    description: 'Databricks personal access token',
    pattern: /(?<![A-Za-z0-9])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9])/g,
    prefixes: ['dapi'],
    match: [`token dapi${fake(HEX, 32)}`],
    nomatch: ['dapi', `rapidapi${fake(HEX, 32)}`],
  },
  {
    id: 'hashicorp-token',
    description: 'HashiCorp Vault service/batch tokens and Terraform Cloud tokens',
    pattern: /(?:hv[sb]\.[A-Za-z0-9_-]{90,300}|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,100})/g,
    prefixes: ['hvs.', 'hvb.', '.atlasv1.'],
    match: [`VAULT_TOKEN=hvs.${fake(B64URL, 95)}`, `${fake(ALNUM, 14)}.atlasv1.${fake(ALNUM, 67)}`],
    nomatch: ['hvs.short'],
  },
  {
    id: 'saas-api-token',
    description:
      'Prefixed SaaS tokens: Doppler, Dynatrace, Grafana, Heroku, Linear, New Relic, PlanetScale, Postman, Pulumi, Sentry, Square, Brevo, RubyGems, Groq, Replicate, Notion, Supabase, Alibaba',
    pattern:
      /(?:dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}|dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}|glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|HRKU-AA[0-9A-Za-z_-]{58}|lin_api_[A-Za-z0-9]{40}|NRAK-[A-Z0-9]{27}|pscale_(?:tkn|pw|oauth)_[A-Za-z0-9._=-]{32,64}|PMAK-[a-f0-9]{24}-[a-f0-9]{34}|pul-[a-f0-9]{40}|sntry[su]_[A-Za-z0-9+/=_]{40,300}|sq0(?:atp|csp)-[0-9A-Za-z_-]{22,60}|xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}|rubygems_[a-f0-9]{48}|gsk_[A-Za-z0-9]{52}|r8_[A-Za-z0-9]{37}|ntn_[0-9]{11}[A-Za-z0-9]{35}|sbp_[a-f0-9]{40}|LTAI[A-Za-z0-9]{20})(?![A-Za-z0-9])/g,
    prefixes: [
      'dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.', 'dt0c01.', 'glc_', 'glsa_', 'HRKU-AA', 'lin_api_', 'NRAK-',
      'pscale_', 'PMAK-', 'pul-', 'sntrys_', 'sntryu_', 'sq0atp-', 'sq0csp-', 'xkeysib-', 'rubygems_', 'gsk_', 'r8_', 'ntn_', 'sbp_', 'LTAI',
    ],
    match: [
      `DOPPLER_TOKEN=dp.pt.${fake(ALNUM, 43)}`,
      `lin_api_${fake(ALNUM, 40)}`,
      `PMAK-${fake(HEX, 24)}-${fake(HEX, 34)}`,
      `sq0atp-${fake(B64URL, 22)}`,
      `GROQ=gsk_${fake(ALNUM, 52)}`,
      `sntrys_${fake(B64, 80)}`,
    ],
    nomatch: ['dp.pt.short', 'the lin_api_ prefix', 'PMAK-', `NRAK-${fake(UPPER_DIGITS, 10)}`],
  },
  {
    id: 'jwt',
    description: 'JSON Web Token (three base64url parts, header and payload JSON)',
    pattern: /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{10,2000}/g,
    prefixes: ['eyJ'],
    match: [`x eyJ${fake(B64URL, 30)}.eyJ${fake(B64URL, 40)}.${fake(B64URL, 43)} y`, `token_eyJ${fake(B64URL, 30)}.eyJ${fake(B64URL, 40)}.${fake(B64URL, 43)}`],
    nomatch: ['eyJhbGciOiJIUzI1NiJ9'],
  },
  {
    id: 'bearer-token',
    description: 'A random-looking bearer token after `Bearer`',
    pattern: /\bBearer\s{1,4}[A-Za-z0-9._~+/-]{20,2000}=*/g,
    prefixes: ['Bearer'],
    accept: (m) => looksRandom(m.replace(/^Bearer\s+/, '')),
    match: [`Authorization: Bearer ${fake(ALNUM, 32)}`],
    nomatch: ['Bearer authentication is described in RFC 6750', 'Bearer realm="mcp-server-example-realm"'],
  },
  {
    id: 'basic-auth',
    description: 'HTTP Basic credentials (`Basic base64(user:password)`)',
    pattern: /\b[Bb]asic\s{1,4}[A-Za-z0-9+/]{8,1000}={0,2}(?![A-Za-z0-9+/=])/g,
    prefixes: ['basic'],
    accept: acceptBasicAuth,
    match: [`Authorization: Basic ${Buffer.from(`svc-user:${fake(ALNUM, 16)}`).toString('base64')}`],
    nomatch: ['Basic authentication needs TLS', 'basic usage of the configuration guide', 'Basic QWxhZGRpbg'],
  },
  {
    id: 'password-assignment',
    description: 'A random-looking value assigned to a secret-named key (`password=…`, `api_key: …`)',
    pattern:
      /\b(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key)["']?\s{0,4}[:=]\s{0,4}["']?[^\s"',;&<>]{8,200}/gi,
    prefixes: ['passw', 'pwd', 'secret', 'api_key', 'api-key', 'apikey', 'access_token', 'access-token', 'accesstoken', 'auth_token', 'auth-token', 'authtoken', 'private_key', 'private-key', 'privatekey'],
    accept: (m) => looksRandom(m.replace(ASSIGNMENT_VALUE, '')),
    match: [`password = "${fake(ALNUM, 12)}!#"`, `Api-Key: ${fake(ALNUM, 16)}`],
    nomatch: ['password = process.env.DB_PASSWORD', 'password = changeme', 'api_key = MY_API_KEY_NAME'],
  },
  {
    id: 'connection-string',
    description: 'Credentials in a URL (`scheme://user:password@`, `redis://:password@`)',
    pattern: new RegExp(`(?<![A-Za-z0-9])(?:${SCHEMES}):\\/\\/[^\\s:@/]{0,100}:[^\\s@/]{3,200}@`, 'gi'),
    prefixes: ['://'],
    accept: acceptUrlCredential,
    match: [`postgres://app:${fake(ALNUM, 10)}@db:5432/app`, `redis://:${fake(ALNUM, 16)}@cache:6379`, `https://deploy:${fake(ALNUM, 16)}@git.example.org/repo.git`],
    nomatch: ['https://user:pass@proxy.local:8080', 'https://example.org/a:b@c', 'postgres://db:5432/app'],
  },
  {
    id: 'aws-secret-access-key-bare',
    description: 'A free-standing 40-character AWS secret access key (redaction only: too generic to report)',
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    prefixes: [],
    redactionOnly: true,
    accept: acceptBareAwsSecret,
    match: [`principal ${AWS_SECRET_EXAMPLE} end`],
    nomatch: [
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      '/usr/local/lib/node_modules/typescript/lib',
      'Resource TestClusterOpenIdConnectProviderE18F0FD0 orphan',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
    ],
  },
];

// ---- the gate: which patterns can match a text, in one pass --------------------------------

/*
 * One pass over the text with a rolling window of three characters, each folded to 5 bits (ASCII
 * letters case-insensitively, as /i without the u flag folds only ASCII letters; some punctuation
 * in pairs; anything else to 0), looked up in a 32 Ki-entry table naming the patterns whose
 * prefixes hold that trigram (one per prefix, with punctuation when it has some: rarer in prose).
 * Every match contains one of its pattern's prefixes, and so that trigram (folding only merges
 * characters): the gate is an exact superset.
 * A two-character prefix (`SK`) registers every trigram ending in it.
 */
const FOLD5 = new Uint8Array(128);
for (let c = 97; c <= 122; c++) FOLD5[c] = FOLD5[c - 32] = c - 96;
FOLD5[95] = FOLD5[45] = 27; // _ -
FOLD5[46] = FOLD5[61] = 28; // . =
FOLD5[58] = FOLD5[47] = 29; // : /
FOLD5[32] = FOLD5[49] = 30; // space 1

function fold(c: number): number {
  return c < 128 ? (FOLD5[c] as number) : 0;
}

const GATE = new Uint8Array(1 << 15);
/** Gate entry (1-based) → the patterns it lets run. */
const GATE_SETS: number[][] = [[]];
const ALWAYS: number[] = [];
function register(trigram: number, pattern: number): void {
  let entry = GATE[trigram] as number;
  if (entry === 0) {
    entry = GATE_SETS.length;
    GATE_SETS.push([]);
    GATE[trigram] = entry;
  }
  const set = GATE_SETS[entry] as number[];
  if (!set.includes(pattern)) set.push(pattern);
}
/** The trigram of a prefix the gate keys on: one holding punctuation when there is one (rarer in prose). */
function gateTrigram(prefix: string): number {
  let first = -1;
  for (let i = 0; i + 3 <= prefix.length; i++) {
    const a = fold(prefix.charCodeAt(i));
    const b = fold(prefix.charCodeAt(i + 1));
    const c = fold(prefix.charCodeAt(i + 2));
    const t = (a << 10) | (b << 5) | c;
    if (first < 0) first = t;
    if (a >= 27 || b >= 27 || c >= 27) return t;
  }
  return first;
}
SECRET_CATALOGUE.forEach((format, i) => {
  if (format.prefixes.length === 0) ALWAYS.push(i);
  for (const prefix of format.prefixes) {
    if (prefix.length >= 3) register(gateTrigram(prefix), i);
    else {
      const a = fold(prefix.charCodeAt(0));
      const b = fold(prefix.charCodeAt(1));
      for (let before = 0; before < 32; before++) register((before << 10) | (a << 5) | b, i);
    }
  }
});

/** Patterns (catalogue indexes, ascending) that can match `text`. */
const HIT = new Uint8Array(SECRET_CATALOGUE.length);
function candidatesOf(text: string, redaction: boolean): number[] {
  let n = 0;
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    w = ((w << 5) | fold(text.charCodeAt(i))) & 0x7fff;
    const entry = GATE[w] as number;
    if (entry !== 0) {
      for (const p of GATE_SETS[entry] as number[]) {
        if (HIT[p] === 0) {
          HIT[p] = 1;
          n++;
        }
      }
    }
  }
  if (redaction && text.length >= 40) {
    for (const p of ALWAYS) {
      if (HIT[p] === 0) {
        HIT[p] = 1;
        n++;
      }
    }
  }
  if (n === 0) return [];
  const out: number[] = [];
  for (let p = 0; p < HIT.length; p++) {
    if (HIT[p] === 1) {
      out.push(p);
      HIT[p] = 0;
    }
  }
  return out;
}

// ---- scanning ------------------------------------------------------------------------------

export const SECRET_SCAN_MAX_CHARS = 65_536;
/** The longest a single match can be (a PEM key with its body); redaction of a cut text keeps this much slack. */
export const SECRET_MAX_MATCH_CHARS = 16_384;
const PEM_END = '-----END';
const PEM_BODY_MAX = SECRET_MAX_MATCH_CHARS - 64;

function isPemBodyCode(c: number): boolean {
  // base64, '=', whitespace, the backslash of an escaped "\n", and ':' ',' of encrypted-PEM headers.
  return isAlnumCode(c) || c === 43 || c === 47 || c === 61 || c === 92 || c === 58 || c === 44 || c === 32 || (c >= 9 && c <= 13);
}

const NO_OPTIONS: FindSecretsOptions = {};

// One-entry memo: several detectors scan the same text of one event (a result is scanned by
// API-SECRET-LEAK and AGT-TOXIC-FLOW). Callers get a copy, so none can change what another sees.
let memoText: string | undefined;
let memoMode = -1;
let memoMatches: readonly SecretMatch[] = [];

export function findSecrets(text: string, options: FindSecretsOptions = NO_OPTIONS): SecretMatch[] {
  const mode = options.includeExamples === true ? 1 : 0;
  return found(text, mode);
}

/** mode 0: detection; 1: with examples; 2: redaction (examples and redaction-only shapes). */
function found(text: string, mode: number): SecretMatch[] {
  if (text !== memoText || mode !== memoMode) {
    memoMatches = scanSecrets(text, mode);
    memoText = text;
    memoMode = mode;
  }
  return memoMatches.length === 0 ? [] : memoMatches.slice();
}

function scanSecrets(text: string, mode: number): SecretMatch[] {
  const scanned = text.length > SECRET_SCAN_MAX_CHARS ? text.slice(0, SECRET_SCAN_MAX_CHARS) : text;
  const candidates = candidatesOf(scanned, mode === 2);
  if (candidates.length === 0) return [];
  const includeExamples = mode >= 1;
  const out: SecretMatch[] = [];
  let pemEnd = -2;
  for (const p of candidates) {
    const format = SECRET_CATALOGUE[p] as SecretFormat;
    if (format.redactionOnly === true && mode !== 2) continue;
    const re = format.pattern;
    re.lastIndex = 0;
    for (let m = re.exec(scanned); m !== null; m = re.exec(scanned)) {
      if (m[0].length === 0) re.lastIndex++;
      if (format.accept && !format.accept(m[0], scanned, m.index)) continue;
      let length = m[0].length;
      if (format.id === 'private-key') {
        // The key body and END line go with the BEGIN line (one indexOf per scan, remembered).
        const from = m.index + length;
        if (pemEnd === -2 || (pemEnd >= 0 && pemEnd < from)) pemEnd = scanned.indexOf(PEM_END, from);
        let end = from;
        if (pemEnd >= 0 && pemEnd - from <= PEM_BODY_MAX) {
          const close = scanned.indexOf('-----', pemEnd + PEM_END.length);
          end = close >= 0 && close - pemEnd <= 64 ? close + 5 : pemEnd + PEM_END.length;
        } else {
          while (end < scanned.length && end - from < PEM_BODY_MAX && isPemBodyCode(scanned.charCodeAt(end))) end++;
        }
        length = end - m.index;
        re.lastIndex = end;
      }
      const match = { kind: format.id, index: m.index, length };
      if (!isExampleSecret(format.id, m[0])) out.push(match);
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
// Argument names repeat across calls: each short one is classified once (bounded memo: 4096 keys
// of at most 64 characters, under 1 MB).
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

export interface RedactedWindow {
  /** The redacted text. */
  readonly text: string;
  /** How many characters of the input it covers (less than the input's length when cut). */
  readonly consumed: number;
}

/**
 * Redacts the first `window` characters of `text` (at most SECRET_SCAN_MAX_CHARS). When the text
 * is longer than the window, the last SECRET_MAX_MATCH_CHARS characters of the window are dropped
 * unless a match covers them: a secret crossing the cut is never shown in part.
 */
export function redactSecretsWindow(text: string, window = SECRET_SCAN_MAX_CHARS): RedactedWindow {
  const size = Math.min(window, SECRET_SCAN_MAX_CHARS);
  const cut = text.length > size;
  const scanned = cut ? text.slice(0, size) : text;
  const matches = found(scanned, 2);
  matches.sort((a, b) => a.index - b.index || b.length - a.length);
  let end = cut ? Math.max(0, size - SECRET_MAX_MATCH_CHARS) : scanned.length;
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.index < at) continue;
    if (m.index >= end) break;
    out += `${scanned.slice(at, m.index)}[REDACTED:${m.kind}]`;
    at = m.index + m.length;
  }
  if (at > end) end = at;
  return { text: out + scanned.slice(at, end), consumed: end };
}

/** Replaces every recognised secret with `[REDACTED:<kind>]` (the first SECRET_SCAN_MAX_CHARS characters, with cut slack). */
export function redactSecrets(text: string): string {
  return redactSecretsWindow(text).text;
}
