import { describe, expect, it } from 'vitest';
import { BoundedKeyCache, BoundedKeyCache2, CACHED_PART_MAX } from '../../../functions/engine/detectors/bounded-key-cache.js';

describe('BoundedKeyCache', () => {
  it('returns the built key, building a short part once and a long part every time', () => {
    const built: string[] = [];
    const cache = new BoundedKeyCache((part) => {
      built.push(part);
      return `K|${part.length}|${part.slice(0, 4)}`;
    });
    const long = 's'.repeat(CACHED_PART_MAX + 1);
    expect([cache.key('abc'), cache.key('abc'), cache.key(long), cache.key(long)]).toEqual(['K|3|abc', 'K|3|abc', `K|${CACHED_PART_MAX + 1}|ssss`, `K|${CACHED_PART_MAX + 1}|ssss`]);
    expect(built).toEqual(['abc', long, long]);
  });

  it('two parts: cached only when both are short; distinct pairs get distinct keys', () => {
    const calls: string[] = [];
    const cache = new BoundedKeyCache2((a, b) => {
      calls.push(`${a.length}/${b.length}`);
      return `${a}|${b}`;
    });
    const long = 'x'.repeat(CACHED_PART_MAX + 1);
    expect(cache.key('srv', 'sess-1')).toBe('srv|sess-1');
    expect(cache.key('srv', 'sess-2')).toBe('srv|sess-2');
    expect(cache.key('srv', 'sess-1')).toBe('srv|sess-1');
    expect(cache.key('srv', long)).toBe(`srv|${long}`);
    expect(cache.key(long, 'sess-1')).toBe(`${long}|sess-1`);
    expect(cache.key('srv', long)).toBe(`srv|${long}`);
    expect(calls).toEqual(['3/6', '3/6', `3/${CACHED_PART_MAX + 1}`, `${CACHED_PART_MAX + 1}/6`, `3/${CACHED_PART_MAX + 1}`]);
  });
});
