import { describe, expect, it } from 'vitest';
import { createRedactor, redactSecretsInText } from '../../../packages/instrument/src/redact.js';
import {
  findRedactionMarkers,
  MAX_REDACTION_MARKERS,
} from '../../../functions/engine/text/redaction-markers.js';

const AWS_KEY = 'AKIA' + 'Q3EGRTWZ7NXJPLM4';
const GITHUB = 'ghp_' + 'R4nd0mT0k3nV4lu3Abc123Def456Ghi789Jk';

function kinds(text: string): string[] {
  return findRedactionMarkers(text).map((m) => `${m.kind}${m.knownFormat ? '' : '/assignment'}`);
}

describe('findRedactionMarkers', () => {
  it('reads the markers the instrumentation writes, with their kind and position', () => {
    // The real redactor: whatever it writes is what the engine must read.
    const logged = redactSecretsInText(`key ${AWS_KEY}, token ${GITHUB}, password: hunter2hunter2`);
    expect(logged).toBe('key [REDACTED:aws-access-key], token [REDACTED:github-token], password: [REDACTED:secret-assignment]');
    expect(findRedactionMarkers(logged)).toEqual([
      { kind: 'aws-access-key', marker: '[REDACTED:aws-access-key]', index: 4, knownFormat: true },
      { kind: 'github-token', marker: '[REDACTED:github-token]', index: 37, knownFormat: true },
      { kind: 'secret-assignment', marker: '[REDACTED:secret-assignment]', index: 72, knownFormat: false },
    ]);
    const redactor = createRedactor({ maxStringBytes: 4096 });
    const args = redactor.redactValue({ password: 'hunter2hunter2', url: 'postgres://app:S3cretPa55@db:5432/app' }) as Record<string, string>;
    expect(kinds(args.password ?? '')).toEqual([]);
    expect(kinds(args.url ?? '')).toEqual(['url-credential']);
  });

  it('near misses: [REDACTED], the word in prose, other cases and spacing, an unclosed marker', () => {
    for (const text of [
      '[REDACTED]',
      'The names were REDACTED by legal.',
      '[REDACTED: names removed]',
      '[redacted:aws-access-key]',
      '[REDACTED:AWS]',
      '[REDACTED:]',
      '[REDACTED:aws-access-key',
      `[REDACTED:${'a'.repeat(41)}]`,
    ]) {
      expect({ text, kinds: kinds(text) }).toEqual({ text, kinds: [] });
    }
  });

  it('redacted pagination cursors and request ids are positions, not secrets', () => {
    expect(kinds('?page_token=[REDACTED:secret-assignment]&limit=10')).toEqual([]);
    expect(kinds('{"nextToken": "[REDACTED:secret-assignment]"}')).toEqual([]);
    expect(kinds('{"api_token": "[REDACTED:secret-assignment]"}')).toEqual(['secret-assignment/assignment']);
    // Only assignments are judged by their key: a known format under any key is a secret.
    expect(kinds('page_token=[REDACTED:github-token]')).toEqual(['github-token']);
  });

  it('is bounded: at most MAX_REDACTION_MARKERS, only in the first 64 KiB, linear on adversarial input', () => {
    expect(findRedactionMarkers('[REDACTED:jwt] '.repeat(100))).toHaveLength(MAX_REDACTION_MARKERS);
    expect(findRedactionMarkers(`${'x'.repeat(70_000)}[REDACTED:jwt]`)).toHaveLength(0);
    expect(findRedactionMarkers('[REDACTED:'.repeat(20_000))).toHaveLength(0);
    expect(findRedactionMarkers(`[REDACTED:${'a'.repeat(100_000)}`)).toHaveLength(0);
    expect(findRedactionMarkers('page_token=[REDACTED:secret-assignment]'.repeat(3_000))).toHaveLength(0);
  });
});
