/**
 * State items: the JSON values behind every piece of detector state. Each carries a kind tag so a
 * remote store can merge a batch's changes into a value another writer changed concurrently
 * (three-way: current + (next - loaded)), and an expiry `x` (epoch ms, event time).
 */

/**
 * Windowed counter: flat pairs `[bucketIndex, count, bucketIndex, count, …]` in ascending bucket
 * order (bucketIndex = floor(t / bucketMs)). A short array: cheap to scan, compact as JSON.
 */
export interface CounterItem {
  k: 'c';
  x: number;
  b: number[];
  /**
   * A baseline kept with the counter (the counter's own EWMA of what it counts), so a detector
   * that needs both touches one item. Absent until first observed.
   */
  e?: EwmaFields;
}

/**
 * Window counters under one item, one per member: many small counters of one owner (a session's
 * repeated calls) without an item each. `m[i]` is the id of the member (an integer below 2^53,
 * e.g. 52 bits of a digest) whose flat bucket pairs (as in CounterItem) are `b[i]`. Numeric ids in
 * one flat array: finding a member scans a few contiguous numbers instead of chasing a string per
 * member (or making digests into property names). Bounded by a cap.
 */
export interface CounterMapItem {
  k: 'm';
  x: number;
  m: number[];
  b: number[][];
}

/** Bounded distinct set: member → last seen (epoch ms). */
export interface DistinctItem {
  k: 'd';
  x: number;
  m: Record<string, number>;
}

/** Exponentially weighted moving average and variance. */
export interface EwmaFields {
  /** Number of observations folded in. */
  n: number;
  mean: number;
  variance: number;
  /** Time of the last observation. */
  at: number;
}

export interface BaselineItem extends EwmaFields {
  k: 'e';
  x: number;
}

/** A small map of facts (registries, session facts, alert dedup). */
export interface RecordItem {
  k: 'r';
  x: number;
  v: Record<string, unknown>;
}

export type StateItem = CounterItem | CounterMapItem | DistinctItem | BaselineItem | RecordItem;
export type StateItemKind = StateItem['k'];

export function emptyItem(kind: StateItemKind): StateItem {
  switch (kind) {
    case 'c':
      return { k: 'c', x: 0, b: [] };
    case 'm':
      return { k: 'm', x: 0, m: [], b: [] };
    case 'd':
      return { k: 'd', x: 0, m: {} };
    case 'e':
      return { k: 'e', x: 0, n: 0, mean: 0, variance: 0, at: 0 };
    case 'r':
      return { k: 'r', x: 0, v: {} };
  }
}
