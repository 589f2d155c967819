/**
 * The depth bound's bracket-count pre-check never changes the verdict: on random JSON texts
 * (nesting around the limit, brackets inside strings, escaped quotes) jsonTooDeep agrees with the
 * depth of what JSON.parse returns, and with a plain character scan on texts that do not parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTooDeep, parseJsonBounded, TOO_DEEP } from '../../../functions/engine/events/json-depth.js';

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  let deepest = 0;
  for (const child of children) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

/** The scan without the pre-check (brackets outside strings, as jsonTooDeep counts them). */
function scanTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > max) return true;
    } else if (c === '}' || c === ']') depth--;
  }
  return false;
}

const leaf = fc.oneof(fc.constantFrom('[', ']', '{', '}', '"', '\\', '{[', 'x'), fc.string({ maxLength: 6 }), fc.integer());
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 3 })),
})).node;

function nested(depth: number, inner: unknown): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v, s: '}]{[' };
  return v;
}

describe('jsonTooDeep', () => {
  it('agrees with the depth JSON.parse sees, brackets in strings included', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 10 }), (inner, extra, max) => {
        const text = JSON.stringify(nested(extra, inner));
        const deep = depthOf(JSON.parse(text)) > max;
        expect(jsonTooDeep(text, max)).toBe(deep);
        expect(parseJsonBounded(text, max) === TOO_DEEP).toBe(deep);
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees with a plain scan on texts that are not JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ', ':'), { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (chars, max) => {
        const text = chars.join('');
        // Unterminated strings: jsonTooDeep stops there (JSON.parse rejects the text anyway).
        if (scanTooDeep(text, max)) expect(jsonTooDeep(text, max) || /"/.test(text)).toBe(true);
        else expect(jsonTooDeep(text, max)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('the limit itself: MAX nesting parses, one more is refused', () => {
    expect(parseJsonBounded(JSON.stringify(nested(128, 1)))).not.toBe(TOO_DEEP);
    expect(parseJsonBounded(JSON.stringify(nested(129, 1)))).toBe(TOO_DEEP);
    // Many brackets that do not nest: counted by the pre-check, cleared by the scan.
    expect(parseJsonBounded(JSON.stringify(Array.from({ length: 500 }, () => [{}])))).not.toBe(TOO_DEEP);
  });
});
