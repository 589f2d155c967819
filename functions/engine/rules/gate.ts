/**
 * A gate is what the prefilter knows about a piece of a rule: a list of folded literals one of
 * which must occur in the event's text for it to match, or `null` when nothing is required.
 */
export type Gate = readonly string[] | null;

/** Literals shorter than this gate nothing worth the automaton's reports. */
const MIN_LITERAL = 3;

export function literalGate(literal: string): Gate {
  return literal.length >= MIN_LITERAL ? [literal] : null;
}

/** Any of the parts may hold: one of their literals must occur (nothing when a part requires nothing). */
export function anyGate(parts: readonly Gate[]): Gate {
  if (parts.length === 0) return null;
  const out = new Set<string>();
  for (const p of parts) {
    if (p === null) return null;
    for (const l of p) out.add(l);
  }
  return [...out];
}

/** Every part must hold: any one part's requirement will do; take the most selective. */
export function allGate(parts: readonly Gate[]): Gate {
  let best: Gate = null;
  for (const p of parts) if (p !== null && (best === null || better(p, best))) best = p;
  return best;
}

function better(a: readonly string[], b: readonly string[]): boolean {
  const ma = minLength(a);
  const mb = minLength(b);
  return ma !== mb ? ma > mb : a.length < b.length;
}

function minLength(literals: readonly string[]): number {
  let m = Infinity;
  for (const l of literals) if (l.length < m) m = l.length;
  return m;
}
