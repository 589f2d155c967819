import { describe, expect, it } from 'vitest';
import { createRedactor, redactSecretsInText, truncateUtf8 } from '../../../packages/instrument/src/redact.js';

// Fake, pattern-valid secrets assembled at runtime (repository secret scanners stay quiet).
const ACCESS_KEY = 'AKIA' + 'IOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';
const JWT =
  'eyJ' +
  'hbGciOiJIUzI1NiJ9' +
  '.eyJ' +
  'zdWIiOiIxMjM0NTY3ODkwIn0' +
  '.' +
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const GITHUB = 'ghp_' + 'A'.repeat(36);
const PEM = '-----BEGIN ' + 'RSA PRIVATE KEY-----\nMIIEow' + 'IBAAKCAQEA\n-----END RSA PRIVATE KEY-----';

describe('redactSecretsInText', () => {
  it.each([
    [`key=${ACCESS_KEY}!`, 'key=[REDACTED:aws-access-key]!'],
    [`aws_secret_access_key = ${SECRET_KEY}`, 'aws_secret_access_key = [REDACTED:aws-secret-key]'],
    [`Authorization: Bearer ${JWT}`, 'Authorization: Bearer [REDACTED:bearer-token]'],
    [`id_token ${JWT} end`, 'id_token [REDACTED:jwt] end'],
    [`before\n${PEM}\nafter`, 'before\n[REDACTED:private-key]\nafter'],
    [`push with ${GITHUB}`, 'push with [REDACTED:github-token]'],
    ['xoxb-1234567890-abcdef', '[REDACTED:slack-token]'],
    ['sk-' + 'proj-abcdefghijklmnopqrstuvwx', '[REDACTED:api-key]'],
    [
      'postgres://admin:s3cr3tpass@db.internal:5432/app',
      'postgres://admin:[REDACTED:url-credential]@db.internal:5432/app',
    ],
    ['DB_PASSWORD=hunter2hunter2', 'DB_PASSWORD=[REDACTED:secret-assignment]'],
    ['{"api_key": "abcdef123456"}', '{"api_key": "[REDACTED:secret-assignment]"}'],
    [
      'https://x.example/cb?access_token=abcdef123456&state=1',
      'https://x.example/cb?access_token=[REDACTED:secret-assignment]&state=1',
    ],
    [`token: Bearer ${JWT}`, 'token: Bearer [REDACTED:bearer-token]'],
  ])('%s', (input, expected) => {
    expect(redactSecretsInText(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      '/srv/docs/../../etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'max_tokens: 4096',
      'The secret of good docs is brevity.',
      'user@example.com wrote: see https://example.com/a?b=c',
    ]) {
      expect(redactSecretsInText(text)).toBe(text);
    }
  });

  it('redacts a private key whose END line was cut off', () => {
    expect(redactSecretsInText('-----BEGIN ' + 'PRIVATE KEY-----\nMIIEvQIBADANBgkq')).toBe(
      '[REDACTED:private-key]',
    );
  });

  it('runs in linear time on adversarial input', () => {
    const inputs = [
      '-----BEGIN ' + 'A '.repeat(30_000),
      'token='.repeat(10_000),
      'a://'.repeat(10_000) + 'b:' + 'c'.repeat(5000),
      'eyJaaaaa.'.repeat(8000),
      'Bearer '.repeat(10_000),
    ];
    for (const input of inputs) {
      const start = performance.now();
      redactSecretsInText(input);
      expect(performance.now() - start).toBeLessThan(200);
    }
  });
});

describe('truncateUtf8', () => {
  it('never splits a multi-byte character', () => {
    expect(truncateUtf8('ab€cd', 4)).toEqual({ text: 'ab', truncated: true });
    expect(truncateUtf8('ab€cd', 5)).toEqual({ text: 'ab€', truncated: true });
    expect(truncateUtf8('😀😀', 7)).toEqual({ text: '😀', truncated: true });
    expect(truncateUtf8('short', 4096)).toEqual({ text: 'short', truncated: false });
  });
});

describe('createRedactor().redactValue', () => {
  const redactor = createRedactor({ maxStringBytes: 16 });

  it('redacts sensitive keys by suffix, case- and separator-insensitively', () => {
    expect(
      redactor.redactValue({
        password: 'p',
        DB_Password: 'p',
        'x-api-key': 'k',
        accessToken: 't',
        client_secret: 's',
        Authorization: 'Basic abc',
        cookies: ['a=b'],
        awsCredentials: { id: 'x' },
        max_tokens: 100,
        tokenizer: 'bpe',
        requirePassword: true,
        password_hint: 'pet name',
        path: '/tmp/a',
      }),
    ).toEqual({
      password: '[REDACTED]',
      DB_Password: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      accessToken: '[REDACTED]',
      client_secret: '[REDACTED]',
      Authorization: '[REDACTED]',
      cookies: '[REDACTED]',
      awsCredentials: '[REDACTED]',
      max_tokens: 100,
      tokenizer: 'bpe',
      requirePassword: true,
      password_hint: 'pet name',
      path: '/tmp/a',
    });
  });

  it('truncates strings and bounds depth and size', () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 20; i++) {
      const next: Record<string, unknown> = {};
      cursor.child = next;
      cursor = next;
    }
    const out = redactor.redactValue({ long: 'y'.repeat(100), deep }) as { long: string; deep: unknown };
    expect(out.long).toBe('y'.repeat(16));
    expect(JSON.stringify(out.deep)).toBe('{"child":'.repeat(11) + '"[TRUNCATED]"' + '}'.repeat(11));

    const wide = redactor.redactValue(Array.from({ length: 5000 }, (_, i) => i)) as unknown[];
    expect(wide).toHaveLength(1000);
    expect(wide[998]).toBe(998);
    expect(wide[999]).toBe('[TRUNCATED]');
  });

  it('redacts a secret that straddles the truncation point', () => {
    const out = redactor.redactValue({ note: 'abcdefgh' + ACCESS_KEY }) as { note: string };
    expect(out.note).toBe('abcdefgh[REDACTE');
  });
});
