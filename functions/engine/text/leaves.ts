/**
 * String leaves of tool arguments, bounded: detectors scan them, so an argument object of any size
 * or depth costs at most MAX_LEAVES strings of at most MAX_LEAF_CHARS each.
 */
export const MAX_LEAVES = 64;
export const MAX_LEAF_CHARS = 16_384;
const MAX_DEPTH = 8;

export interface StringLeaf {
  /** Dotted path, e.g. `options.query` or `paths[2]`. */
  readonly path: string;
  /** The last key name (lowercased) on the path, '' for array items and the root. */
  readonly key: string;
  readonly value: string;
}

export function stringLeaves(value: unknown, limit = MAX_LEAVES): StringLeaf[] {
  const out: StringLeaf[] = [];
  walk(value, '', '', 0, out, limit);
  return out;
}

// One-entry memo for argumentLeaves: the detectors that look at a call's arguments run one after
// another on the same event, so they share one walk. Events are never mutated by the engine.
let memoValue: unknown;
let memoLeaves: readonly StringLeaf[] = [];

/**
 * `stringLeaves(args)` shared by every caller that asks about the same arguments object in a row
 * (the detectors of one event): read-only, do not mutate the returned array.
 */
export function argumentLeaves(args: unknown): readonly StringLeaf[] {
  if (args === null || typeof args !== 'object') return stringLeaves(args);
  if (args !== memoValue) {
    memoLeaves = stringLeaves(args);
    memoValue = args;
  }
  return memoLeaves;
}

function walk(value: unknown, path: string, key: string, depth: number, out: StringLeaf[], limit: number): void {
  if (out.length >= limit) return;
  if (typeof value === 'string') {
    out.push({ path, key, value: value.length > MAX_LEAF_CHARS ? value.slice(0, MAX_LEAF_CHARS) : value });
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && out.length < limit; i++) walk(value[i], `${path}[${i}]`, key, depth + 1, out, limit);
    return;
  }
  for (const k in value as Record<string, unknown>) {
    if (out.length >= limit) return;
    walk((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, k.toLowerCase(), depth + 1, out, limit);
  }
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
