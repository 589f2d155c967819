import { describe, expect, it } from 'vitest';
import { argumentLeaves, MAX_LEAF_CHARS, MAX_LEAVES, stringLeaves } from '../../../functions/engine/text/leaves.js';

describe('stringLeaves', () => {
  it('walks objects and arrays with dotted paths and lowercased last keys', () => {
    expect(stringLeaves({ Path: '/a', options: { Query: 'q', tags: ['x', 1, 'y'] } })).toEqual([
      { path: 'Path', key: 'path', value: '/a' },
      { path: 'options.Query', key: 'query', value: 'q' },
      { path: 'options.tags[0]', key: 'tags', value: 'x' },
      { path: 'options.tags[2]', key: 'tags', value: 'y' },
    ]);
  });

  it('is bounded in leaves and characters', () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v']));
    expect(stringLeaves(many)).toHaveLength(MAX_LEAVES);
    expect(stringLeaves({ big: 'x'.repeat(MAX_LEAF_CHARS + 10) })[0]?.value).toHaveLength(MAX_LEAF_CHARS);
  });
});

describe('argumentLeaves (shared by the detectors of one event)', () => {
  it('returns what stringLeaves returns', () => {
    const args = { to: 'a@example.com', body: { text: 'hi', parts: ['p1'] } };
    expect(argumentLeaves(args)).toEqual(stringLeaves(args));
    expect(argumentLeaves('plain')).toEqual([{ path: '', key: '', value: 'plain' }]);
    expect(argumentLeaves(undefined)).toEqual([]);
  });

  it('walks a given arguments object once while it is asked for in a row; another object is walked anew', () => {
    const first = { path: '/etc/passwd' };
    const second = { path: '/srv/data' };
    const leaves = argumentLeaves(first);
    expect(argumentLeaves(first)).toBe(leaves);
    expect(argumentLeaves(second)).toEqual([{ path: 'path', key: 'path', value: '/srv/data' }]);
    expect(argumentLeaves(first)).toEqual([{ path: 'path', key: 'path', value: '/etc/passwd' }]);
  });
});
