/**
 * D3 at unit level: key caches are bounded by size as well as count, and identity strings are
 * capped at normalization (distinct long values stay distinct).
 */
import { describe, expect, it } from 'vitest';
import { normalizeRecords } from '../../functions/engine/events/normalize.js';
import { IDENTITY_MAX_CHARS } from '../../functions/engine/events/identity-bounds.js';
import { KEY_CACHE_MAX_CHARS, KeyCache, KeyCache2 } from '../../functions/engine/state/key-cache.js';

describe('bounded caches and identity strings (D3)', () => {
  it('KeyCache and KeyCache2 keep no long part and clear past their character budget', () => {
    let builds = 0;
    const cache = new KeyCache((p) => (builds++, `k|${p}`));
    const long = 'x'.repeat(10_000);
    cache.key(long);
    cache.key(long);
    expect(builds).toBe(2); // never kept
    const held = (c: object) => [...((c as { keys: Map<string, unknown> }).keys.keys())].reduce((n, k) => n + k.length, 0);
    for (let i = 0; i < 20_000; i++) cache.key(`${i}-${'y'.repeat(200)}`);
    expect(held(cache)).toBeLessThanOrEqual(KEY_CACHE_MAX_CHARS);
    const cache2 = new KeyCache2((a, b) => `${a}|${b}`);
    for (let i = 0; i < 20_000; i++) cache2.key(`server-${i}-${'s'.repeat(200)}`, `tool-${i}`);
    expect(held(cache2)).toBeLessThanOrEqual(KEY_CACHE_MAX_CHARS);
    expect(cache2.key('a', 'b')).toBe('a|b');
  });

  it('identity strings longer than the cap keep their start and a digest; ordinary ones are untouched', () => {
    const line = (name: string) => JSON.stringify({ v: 1, event: 'mcp.call', time: '2026-11-24T10:00:00Z', server: { name }, tool: name, session: 'abc' });
    const a = 'n'.repeat(50_000);
    const b = `${'n'.repeat(49_999)}m`;
    const { events } = normalizeRecords([{ message: line(a) }, { message: line(b) }, { message: line('files-mcp') }]);
    const [ea, eb, ec] = events.map((e) => e.event);
    expect(ea?.server?.name?.length).toBeLessThanOrEqual(IDENTITY_MAX_CHARS);
    expect(ea?.tool?.length).toBeLessThanOrEqual(IDENTITY_MAX_CHARS);
    expect(ea?.server?.name).not.toBe(eb?.server?.name);
    expect(ec?.server?.name).toBe('files-mcp');
    expect(ec?.session).toBe('abc');
  });
});
