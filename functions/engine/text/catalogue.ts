/**
 * The shape every pattern catalogue shares (instruction override, injection, PII, secrets …): a
 * typed data table whose entries carry their own examples. One generic test
 * (test/unit/text/catalogues.test.ts) runs every entry's `match` examples (each must be found as
 * that entry) and `nomatch` examples (none may be), so adding a pattern means adding a row.
 */
export interface CatalogueEntry {
  /** Unique within its catalogue; what findings and evidence name. */
  readonly id: string;
  /** What the entry finds, one line. */
  readonly description: string;
  /** Texts in which the catalogue's scanner must report this entry. */
  readonly match: readonly string[];
  /** Near-misses in which it must not. */
  readonly nomatch: readonly string[];
}

export interface Catalogue<E extends CatalogueEntry = CatalogueEntry> {
  readonly name: string;
  readonly entries: readonly E[];
  /** Ids of the entries the catalogue's own scanner reports for `text`, as it is used in the engine. */
  matches(text: string): ReadonlySet<string>;
}

/** Fails loudly at module load if two entries share an id (the generic test relies on it too). */
export function defineCatalogue<E extends CatalogueEntry>(catalogue: Catalogue<E>): Catalogue<E> {
  const seen = new Set<string>();
  for (const e of catalogue.entries) {
    if (seen.has(e.id)) throw new Error(`catalogue ${catalogue.name}: duplicate id ${e.id}`);
    seen.add(e.id);
  }
  return catalogue;
}
