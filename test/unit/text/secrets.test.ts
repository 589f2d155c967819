import { describe, expect, it } from 'vitest';
import { findSecrets, isSecretValueForKey, redactSecrets } from '../../../functions/engine/text/secrets.js';

// Fake, pattern-valid secrets assembled at runtime so repository secret scanners stay quiet.
const AWS_KEY = 'AKIA' + 'Q3EGRTWZ7NXJPLM4';
const RANDOM_VALUE = 'Zq7mK2vR9p' + 'L4xW8nB3';
const PAGE_CURSOR = 'CgVhYmNkZR' + 'IFZ2hpams';
const ASSIGNED_PASSWORD = 'Zq7!mK2#' + 'vR9pL4xW';
const AWS_DOC_KEY = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';
const GITHUB = 'ghp_' + 'R4nd0mT0k3nV4lu3Abc123Def456Ghi789Jk';
const NPM = 'npm_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3bC5';
const HF = 'hf_' + 'QwErTyUiOpAsDfGhJkLzXcVbNm1234567890';
const ANTHROPIC = 'sk-ant-' + 'api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA-_zZ';
const OPENAI = 'sk-proj-' + 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78';
const GOOGLE_SECRET = 'GOCSPX-' + 'aB1cD2eF3gH4iJ5kL6mN7oP8qR9s';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.' +
  'eyJzdWIiOiJ1c2VyLTQyIiwiYXVkIjoibWNwIn0' +
  '.' +
  'Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkxMjM0NTY';
const JWT_IO_SAMPLE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.' +
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ' +
  '.' +
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

function kinds(text: string): string[] {
  return findSecrets(text).map((m) => m.kind);
}

describe('findSecrets', () => {
  it('finds provider tokens by format', () => {
    expect(kinds(`key ${AWS_KEY} end`)).toEqual(['aws-access-key-id']);
    expect(kinds(`token=${GITHUB}`)).toEqual(['github-token']);
    expect(kinds(`//registry.npmjs.org/:_authToken=${NPM}`)).toEqual(['npm-token']);
    expect(kinds(`HF_TOKEN ${HF}`)).toEqual(['huggingface-token']);
    expect(kinds(`x ${ANTHROPIC} y`)).toEqual(['anthropic-key']);
    expect(kinds(`x ${OPENAI} y`)).toEqual(['openai-key']);
    expect(kinds(`oauth client ${GOOGLE_SECRET}`)).toEqual(['google-oauth-client-secret']);
    expect(kinds(`client_secret: ${GOOGLE_SECRET}`)).toEqual([
      'google-oauth-client-secret',
      'password-assignment',
    ]);
    expect(kinds(`Authorization: Bearer ${JWT}`)).toEqual(['jwt', 'bearer-token']);
  });

  it('documented examples and placeholders are not secrets, but redaction still removes them', () => {
    const doc = `aws_access_key_id = ${AWS_DOC_KEY}\naws_secret_access_key = ${AWS_DOC_SECRET}\nGITHUB_TOKEN=ghp_${'x'.repeat(36)}\nOPENAI_API_KEY=sk-your-openai-api-key-here-0123456789abcdef\n${JWT_IO_SAMPLE}`;
    expect(findSecrets(doc)).toEqual([]);
    expect(findSecrets(doc, { includeExamples: true }).map((m) => `${m.kind}:${m.example === true}`)).toEqual(
      [
        'aws-access-key-id:true',
        'aws-secret-access-key:true',
        'github-token:true',
        'openai-key:true',
        'jwt:true',
      ],
    );
    expect(redactSecrets(`id ${AWS_DOC_KEY}`)).toBe('id [REDACTED:aws-access-key-id]');
  });

  it('near misses: UUIDs, git SHAs, sha256 digests and base64 images are not secrets', () => {
    const text = [
      'request 3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      // An AKIA-like run inside base64 data is chance, not a key.
      `data:image/png;base64,iVBORw0KGgo+${AWS_KEY}+AAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ`,
    ].join('\n');
    expect(findSecrets(text)).toEqual([]);
  });

  it('password assignments need a random-looking value, not a reference', () => {
    expect(kinds(`password = "${ASSIGNED_PASSWORD}"`)).toEqual(['password-assignment']);
    for (const ref of [
      'password = process.env.DB_PASSWORD',
      'api_key = os.environ',
      'secret = ${VAULT_SECRET}',
      'password: get_password_from_vault()',
      'api_key = MY_API_KEY_NAME',
      'password = changeme',
    ]) {
      expect({ ref, kinds: kinds(ref) }).toEqual({ ref, kinds: [] });
    }
  });

  it('pathological 100 KB inputs finish', () => {
    for (const input of [
      'AKIA'.repeat(25_000),
      'password='.repeat(11_000),
      'eyJ'.repeat(33_000) + '.',
      'Bearer '.repeat(14_000),
      'postgres://a:'.repeat(8_000),
      'sk-'.repeat(33_000),
    ]) {
      expect(Array.isArray(findSecrets(input))).toBe(true);
    }
  });
});

describe('findSecrets: the prefilter gate and the shared result', () => {
  // Every literal the prefilter knows, in the letter case each pattern accepts, surrounded by
  // prose that holds none of them: the fast gate in front of the prefilter must let each through.
  const PROSE = 'The quarterly numbers improved across all regions, led by the EU team.';
  const SLACK_HOOK = 'https://hooks.slack.com/services/' + 'T0000000/B0000000/Zq7mK2vR9pL4xW8nB3cD';
  const CASES: Array<[string, string[]]> = [
    [`id ${AWS_KEY} end`, ['aws-access-key-id']],
    [`id ${'ASIA' + 'Q3EGRTWZ7NXJPLM4'} end`, ['aws-access-key-id']],
    [`AWS_SECRET_ACCESS_KEY=${'Zq7mK2vR9pL4xW8nB3cD' + 'a1b2c3d4e5f6g7h8i9j0'}`, ['aws-secret-access-key']],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', ['private-key']],
    [`x ${GITHUB} y`, ['github-token']],
    [`x ${'github_pat_' + '11ABCDEFG0123456789abc_' + 'Zq7mK2vR9pL4xW8nB3cD'} y`, ['github-token']],
    [`x ${'glpat-' + 'Zq7mK2vR9pL4xW8nB3cD'} y`, ['gitlab-token']],
    [`x ${'xoxb-' + '1234567890-Zq7mK2vR9pL4'} y`, ['slack-token']],
    [`x ${SLACK_HOOK} y`, ['slack-webhook']],
    [`x ${'sk_live_' + 'Zq7mK2vR9pL4xW8nB3cD'} y`, ['stripe-key']],
    [`x ${'AIza' + 'SyZq7mK2vR9pL4xW8nB3cDa1b2c3d4e5f6g'} y`, ['google-api-key']],
    [`x ${GOOGLE_SECRET} y`, ['google-oauth-client-secret']],
    [`x ${ANTHROPIC} y`, ['anthropic-key']],
    [`x ${OPENAI} y`, ['openai-key']],
    [`x ${NPM} y`, ['npm-token']],
    [`x ${HF} y`, ['huggingface-token']],
    [`x ${'SG.' + 'Zq7mK2vR9pL4xW8nB3cDa1' + '.' + 'Zq7mK2vR9pL4xW8nB3cDa1b2c3d4e5f6g7h8i9j0kLm'} y`, ['sendgrid-key']],
    [`x ${'dop_v1_' + 'a1b2c3d4'.repeat(8)} y`, ['digitalocean-token']],
    [`x ${'shpat_' + 'a1b2c3d4'.repeat(4)} y`, ['shopify-token']],
    [`AccountKey=${'Zq7mK2vR9pL4xW8nB3cD'.repeat(4)}Zq7mK2==`, ['azure-storage-key']],
    [`x ${JWT} y`, ['jwt']],
    [`Authorization: Bearer ${RANDOM_VALUE}Qw12`, ['bearer-token']],
    [`PASSWORD = "${ASSIGNED_PASSWORD}"`, ['password-assignment']],
    [`Passwd: ${ASSIGNED_PASSWORD}`, ['password-assignment']],
    [`PWD=${ASSIGNED_PASSWORD}`, ['password-assignment']],
    [`Api-Key: ${ASSIGNED_PASSWORD}`, ['password-assignment']],
    [`APIKEY=${ASSIGNED_PASSWORD}`, ['password-assignment']],
    [`Access_Token=${ASSIGNED_PASSWORD}`, ['password-assignment']],
    [`CLIENT-SECRET=${ASSIGNED_PASSWORD}`, ['password-assignment']],
    ['postgres://app:' + 'Zq7mK2vR9p' + '@db.internal:5432/app', ['connection-string']],
  ];

  it('finds every format inside prose (the gate lets every prefilter literal through)', () => {
    for (const [secret, expected] of CASES) {
      const text = `${PROSE} ${secret} ${PROSE}`;
      expect({ secret, kinds: [...new Set(kinds(text))].sort() }).toEqual({ secret, kinds: [...expected].sort() });
    }
  });

  it('prose without any prefilter literal has no secrets', () => {
    expect(findSecrets(PROSE.repeat(50))).toEqual([]);
  });

  it('callers get their own copy of a result (the scan is shared between callers)', () => {
    const text = `key ${AWS_KEY} and ${GITHUB}`;
    const first = findSecrets(text);
    expect(first.map((m) => m.kind)).toEqual(['aws-access-key-id', 'github-token']);
    first.reverse().pop();
    expect(findSecrets(text).map((m) => m.kind)).toEqual(['aws-access-key-id', 'github-token']);
    // Examples are asked for separately: the shared result does not leak across options.
    const doc = `id ${AWS_DOC_KEY}`;
    expect(findSecrets(doc)).toEqual([]);
    expect(findSecrets(doc, { includeExamples: true }).map((m) => m.example)).toEqual([true]);
    expect(findSecrets(doc)).toEqual([]);
  });
});

describe('isSecretValueForKey', () => {
  it('random values under secret-named keys are secrets', () => {
    expect(isSecretValueForKey('api_key', RANDOM_VALUE)).toBe(true);
    expect(isSecretValueForKey('password', 'hunter2hunter2')).toBe(false);
    expect(isSecretValueForKey('path', RANDOM_VALUE)).toBe(false);
  });

  it('pagination and request tokens are positions, not credentials', () => {
    expect(isSecretValueForKey('page_token', PAGE_CURSOR)).toBe(false);
    expect(isSecretValueForKey('next_token', PAGE_CURSOR)).toBe(false);
    expect(isSecretValueForKey('access_token', PAGE_CURSOR)).toBe(true);
  });
});
