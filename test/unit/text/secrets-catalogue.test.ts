/**
 * The secrets catalogue, entry by entry (the shared catalogue shape: each `match` is found as its
 * kind, each `nomatch` is not), and redaction of every `match`: the secret itself is gone.
 */
import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets, SECRET_CATALOGUE } from '../../../functions/engine/text/secrets.js';

function kindsIn(text: string, redactionOnly: boolean): string[] {
  if (!redactionOnly) return findSecrets(text).map((m) => m.kind);
  // Redaction-only shapes show up as markers.
  return [...redactSecrets(text).matchAll(/\[REDACTED:([a-z0-9-]+)\]/g)].map((m) => m[1] as string);
}

describe('SECRET_CATALOGUE', () => {
  it('has unique ids, descriptions, examples and near misses', () => {
    const ids = SECRET_CATALOGUE.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of SECRET_CATALOGUE) {
      expect(f.description.length, f.id).toBeGreaterThan(10);
      expect(f.match.length, f.id).toBeGreaterThan(0);
      expect(f.nomatch.length, f.id).toBeGreaterThan(0);
      expect(f.pattern.flags, f.id).toContain('g');
    }
  });

  for (const f of SECRET_CATALOGUE) {
    it(`${f.id}: finds every match and no near miss`, () => {
      for (const text of f.match) expect({ text, kinds: kindsIn(text, f.redactionOnly === true) }).toEqual({ text, kinds: expect.arrayContaining([f.id]) });
      for (const text of f.nomatch) expect({ text, kinds: kindsIn(text, f.redactionOnly === true) }).not.toEqual({ text, kinds: expect.arrayContaining([f.id]) });
    });

    it(`${f.id}: redaction leaves nothing of a match's secret`, () => {
      for (const text of f.match) {
        const redacted = redactSecrets(`before ${text} after`);
        expect(redacted).toContain('[REDACTED:');
        // No random-looking run of 16 characters (digits and both cases) of the original survives.
        const secretish = (text.match(/[A-Za-z0-9+/_-]{16,}/g) ?? []).filter((r) => /\d/.test(r) && /[a-z]/.test(r) && /[A-Z]/.test(r));
        for (const run of secretish) expect(redacted.includes(run), `${f.id}: ${run}`).toBe(false);
      }
    });
  }
});
