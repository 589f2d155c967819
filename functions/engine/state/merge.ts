/**
 * Three-way merge of a batch's change into a concurrently updated item: the result is
 * `current + (next - loaded)`, per member for counter maps. Used by remote stores when a
 * conditional write loses a race, so two Lambdas touching the same window both count. Baselines
 * are last-writer-wins (a lost EWMA step is harmless; a double-counted window is not); record
 * fields are last-writer-wins per field, except list fields (LIST_FIELD_PREFIX), merged per entry.
 */
import { mergeBuckets } from './buckets.js';
import type { CounterItem, CounterMapItem, EwmaFields, StateItem } from './items.js';

/**
 * Record fields whose name starts with this hold append-only lists of JSON values: two batches
 * that each add entries concurrently both keep theirs (other fields are last-writer-wins per field).
 */
export const LIST_FIELD_PREFIX = '[]';

export function mergeItem(current: StateItem, loaded: StateItem | undefined, next: StateItem): StateItem {
  if (current.k !== next.k) return next;
  const x = Math.max(current.x, next.x);
  switch (next.k) {
    case 'c': {
      const base = loaded?.k === 'c' ? loaded : undefined;
      const merged: CounterItem = { k: 'c', x, b: mergeBuckets((current as typeof next).b, base?.b, next.b) };
      // An embedded baseline is last-writer-wins like a baseline item, but only when this batch changed it.
      const e = sameEwma(next.e, base?.e) ? (current as typeof next).e : next.e;
      if (e !== undefined) merged.e = e;
      return merged;
    }
    case 'm': {
      const cur = membersOf(current as typeof next);
      const base = loaded?.k === 'm' ? membersOf(loaded) : new Map<number, number[]>();
      for (let i = 0; i < next.m.length; i++) {
        const member = next.m[i] as number;
        const b = next.b[i] ?? [];
        const before = base.get(member);
        const now = cur.get(member);
        // Unchanged here and pruned by the concurrent writer: stays pruned.
        if (now === undefined && before !== undefined && sameBuckets(b, before)) continue;
        cur.set(member, mergeBuckets(now ?? [], before, b));
      }
      return { k: 'm', x, m: [...cur.keys()], b: [...cur.values()] };
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
        if (key.startsWith(LIST_FIELD_PREFIX) && Array.isArray(next.v[key]))
          v[key] = mergeList(v[key], base[key], next.v[key] as unknown[]);
        else if (key in next.v) v[key] = next.v[key];
        else delete v[key];
      }
      return { k: 'r', x, v };
    }
  }
}

/** `current` without what this batch removed from `loaded`, plus what it added. */
function mergeList(current: unknown, loaded: unknown, next: readonly unknown[]): unknown[] {
  const before = new Set(Array.isArray(loaded) ? loaded.map((e) => JSON.stringify(e)) : []);
  const after = new Set(next.map((e) => JSON.stringify(e)));
  const merged: unknown[] = [];
  const kept = new Set<string>();
  for (const entry of Array.isArray(current) ? current : []) {
    const json = JSON.stringify(entry);
    if (before.has(json) && !after.has(json)) continue; // removed by this batch
    merged.push(entry);
    kept.add(json);
  }
  for (const entry of next) {
    const json = JSON.stringify(entry);
    if (!before.has(json) && !kept.has(json)) merged.push(entry);
  }
  return merged;
}

function membersOf(item: CounterMapItem): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < item.m.length; i++) out.set(item.m[i] as number, item.b[i] ?? []);
  return out;
}

function sameBuckets(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameEwma(a: EwmaFields | undefined, b: EwmaFields | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.n === b.n && a.mean === b.mean && a.variance === b.variance && a.at === b.at;
}
