/**
 * Case folding for rule matching, one UTF-16 code unit at a time. Being per unit (unlike
 * `toLowerCase`, which lowercases a final Σ by context and turns İ into two units), folding keeps
 * substrings substrings: if `a` contains `b` then fold(a) contains fold(b). The prefilter relies on
 * it — it scans folded text for folded literals and must never hide a match. `ſ` folds to `s`
 * because RE2's case-insensitive `s` matches it.
 */

const SPECIAL = /[\u0130\u017f\u03a3\ud800-\udfff]/;
let table: Uint16Array | undefined;

/** The folded form of one code unit. */
export function foldUnit(unit: number): number {
  if (unit < 0x80) return unit >= 0x41 && unit <= 0x5a ? unit + 0x20 : unit;
  return foldTable()[unit] as number;
}

function foldTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      t[c] = c;
      continue;
    }
    const lower = String.fromCharCode(c).toLowerCase();
    t[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
  }
  t[0x03a3] = 0x03c3; // Σ → σ whatever its position
  t[0x017f] = 0x73; // ſ → s
  table = t;
  return t;
}

export function fold(text: string): string {
  const lower = text.toLowerCase();
  // toLowerCase is per unit except for the few characters SPECIAL lists.
  if (lower.length === text.length && !SPECIAL.test(text)) return lower;
  const t = foldTable();
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(t[text.charCodeAt(i)] as number);
  return out;
}
