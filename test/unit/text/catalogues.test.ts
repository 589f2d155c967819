import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../../functions/engine/text/catalogues.js';

// One test for every pattern catalogue: each entry's `match` examples are found as that entry, its
// `nomatch` near-misses are not. A catalogue row without examples is a row nobody checked.
describe.each(CATALOGUES.map((c) => [c.name, c] as const))('catalogue %s', (_name, catalogue) => {
  it('every entry has a description and at least one match and one nomatch example', () => {
    const incomplete = catalogue.entries
      .filter((e) => e.description.length < 10 || e.match.length === 0 || e.nomatch.length === 0)
      .map((e) => e.id);
    expect(incomplete).toEqual([]);
  });

  it.each(catalogue.entries.map((e) => [e.id, e] as const))('%s: examples', (_id, entry) => {
    const missed = entry.match.filter((text) => !catalogue.matches(text).has(entry.id));
    const fired = entry.nomatch.filter((text) => catalogue.matches(text).has(entry.id));
    expect({ missed, fired }).toEqual({ missed: [], fired: [] });
  });
});
