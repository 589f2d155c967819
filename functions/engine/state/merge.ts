/**
 * Three-way merge of a batch's change into a concurrently updated item: the result is
 * `current + (next - loaded)`. Used by remote stores when a conditional write loses a race, so two
 * Lambdas touching the same window both count. Baselines are last-writer-wins (a lost EWMA step
 * is harmless; a double-counted window is not).
 */
import type { StateItem } from './items.js';

export function mergeItem(current: StateItem, loaded: StateItem | undefined, next: StateItem): StateItem {
  if (current.k !== next.k) return next;
  const x = Math.max(current.x, next.x);
  switch (next.k) {
    case 'c': {
      const counts = pairsToMap((current as typeof next).b);
      const base = loaded?.k === 'c' ? pairsToMap(loaded.b) : new Map<number, number>();
      for (const [bucket, count] of pairsToMap(next.b)) {
        const delta = count - (base.get(bucket) ?? 0);
        if (delta !== 0) counts.set(bucket, (counts.get(bucket) ?? 0) + delta);
      }
      const b: number[] = [];
      for (const bucket of [...counts.keys()].sort((p, q) => p - q)) b.push(bucket, counts.get(bucket) as number);
      return { k: 'c', x, b };
    }
    case 'd': {
      const m: Record<string, number> = { ...(current as typeof next).m };
      for (const [member, seen] of Object.entries(next.m)) m[member] = Math.max(m[member] ?? 0, seen);
      return { k: 'd', x, m };
    }
    case 'e':
      return next;
    case 'r': {
      const v: Record<string, unknown> = { ...(current as typeof next).v };
      const base = loaded?.k === 'r' ? loaded.v : {};
      for (const key of new Set([...Object.keys(next.v), ...Object.keys(base)])) {
        const before = JSON.stringify(base[key]);
        const after = JSON.stringify(next.v[key]);
        if (before === after) continue;
        if (key in next.v) v[key] = next.v[key];
        else delete v[key];
      }
      return { k: 'r', x, v };
    }
  }
}

function pairsToMap(pairs: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i + 1 < pairs.length; i += 2) out.set(pairs[i] as number, pairs[i + 1] as number);
  return out;
}
