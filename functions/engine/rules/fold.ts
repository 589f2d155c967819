/**
 * Case folding for rule matching, one UTF-16 code unit at a time. Being per unit (unlike
 * `toLowerCase`, which lowercases a final Σ by context and turns İ into two units), folding keeps
 * substrings substrings: if `a` contains `b` then fold(a) contains fold(b). The prefilter relies on
 * it — it scans folded text for folded literals and must never hide a match. `ſ` folds to `s`
 * because RE2's case-insensitive `s` matches it.
 */

const SPECIAL = /[\u0130\u017f\u03a3\ud800-\udfff]/;
/** Folded unit + 1 per unit, 0 = not computed yet (computed on first use: no table at cold start). */
const cache = new Uint16Array(65536);

/** The folded form of one code unit. */
export function foldUnit(unit: number): number {
  if (unit < 0x80) return unit >= 0x41 && unit <= 0x5a ? unit + 0x20 : unit;
  const known = cache[unit] as number;
  if (known !== 0) return known - 1;
  let f: number;
  if (unit >= 0xd800 && unit <= 0xdfff) f = unit;
  else if (unit === 0x03a3) f = 0x03c3; // Σ → σ whatever its position
  else if (unit === 0x017f) f = 0x73; // ſ → s
  else {
    const lower = String.fromCharCode(unit).toLowerCase();
    f = lower.length === 1 ? lower.charCodeAt(0) : unit;
  }
  cache[unit] = f + 1;
  return f;
}

export function fold(text: string): string {
  const lower = text.toLowerCase();
  // toLowerCase is per unit except for the few characters SPECIAL lists.
  if (lower.length === text.length && !SPECIAL.test(text)) return lower;
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldUnit(text.charCodeAt(i)));
  return out;
}

let reverse: Map<number, number[]> | undefined;

/** Every code unit whose fold is `folded` (itself included when it folds to itself). */
export function unitsFoldingTo(folded: number): readonly number[] {
  if (folded < 0x80 && !(folded >= 0x41 && folded <= 0x5a)) {
    // ASCII: the unit itself, its upper case, and the two non-ASCII units that fold into ASCII.
    const out = [folded];
    if (folded >= 0x61 && folded <= 0x7a) out.push(folded - 0x20);
    if (folded === 0x73) out.push(0x017f);
    if (folded === 0x6b) out.push(0x212a);
    return out;
  }
  if (!reverse) {
    // Every unit once (~15 ms), only when a rule has a non-ASCII literal.
    const map = new Map<number, number[]>();
    for (let u = 0x80; u < 65536; u++) {
      const f = foldUnit(u);
      if (f < 0x80) continue;
      const list = map.get(f);
      if (list) list.push(u);
      else map.set(f, [u]);
    }
    reverse = map;
  }
  return foldUnit(folded) === folded ? (reverse.get(folded) ?? []) : [];
}
