import { addToBuckets, bucketsTotal } from './buckets.js';
import type { CounterMapItem } from './items.js';
import type { ItemAccess } from './view.js';

/** New members between sweeps of members whose counts left the window (amortised O(1) per add). */
const PRUNE_EVERY = 16;

function newestBucket(b: readonly number[]): number {
  return b.length >= 2 ? (b[b.length - 2] as number) : -Infinity;
}

/**
 * Sliding-window counters of one owner under one item, one per member (a session's distinct
 * repeated calls): each member counts like a WindowCounter. Bounded: members with nothing left in
 * the window are dropped as new ones arrive, and past `cap` the least recently counted.
 */
export class CounterMap {
  constructor(
    private readonly item: CounterMapItem,
    private readonly windowMs: number,
    private readonly bucketMs: number,
    private readonly cap: number,
    private readonly access: ItemAccess,
    private readonly key: string,
  ) {}

  // The member last added and where it is: `total` right after `add` skips the search.
  private lastMember = -1;
  private lastIndex = -1;

  /** Position of `member`; searched newest first, where a repeat usually is. */
  private indexOf(member: number): number {
    const m = this.item.m;
    if (member === this.lastMember && m[this.lastIndex] === member) return this.lastIndex;
    for (let i = m.length - 1; i >= 0; i--) if (m[i] === member) return i;
    return -1;
  }

  /** Counts `n` for `member` (an integer id below 2^53) at `t`. */
  add(member: number, t: number, n = 1): void {
    const item = this.item;
    let i = this.indexOf(member);
    if (i >= 0) addToBuckets(item.b[i] as number[], t, n, this.windowMs, this.bucketMs);
    else {
      item.m.push(member);
      item.b.push([Math.floor(t / this.bucketMs), n]);
      if (item.m.length > this.cap || item.m.length % PRUNE_EVERY === 0) this.prune(t);
      i = item.m.length - 1;
    }
    this.lastMember = member;
    this.lastIndex = i;
    if (item.x < t + this.windowMs) item.x = t + this.windowMs;
    this.access.touched(this.key, item);
  }

  /** The member's count in the window ending at `t`. */
  total(member: number, t: number): number {
    const i = this.indexOf(member);
    return i < 0 ? 0 : bucketsTotal(this.item.b[i] as number[], t, this.windowMs, this.bucketMs);
  }

  /** Members held (in the window or not yet pruned). */
  get size(): number {
    return this.item.m.length;
  }

  /** Drops members with nothing in the window, then the least recently counted past the cap; the newest stays. */
  private prune(t: number): void {
    const { m, b } = this.item;
    const oldest = Math.floor((t - this.windowMs) / this.bucketMs);
    const last = m.length - 1;
    let kept = 0;
    for (let i = 0; i < m.length; i++) {
      if (i !== last && newestBucket(b[i] as number[]) < oldest) continue;
      m[kept] = m[i] as number;
      b[kept] = b[i] as number[];
      kept++;
    }
    m.length = kept;
    b.length = kept;
    if (kept <= this.cap) return;
    // Over the cap with everything in the window: keep the cap most recently counted (stable order).
    const order = Array.from({ length: kept - 1 }, (_, i) => i);
    order.sort((p, q) => newestBucket(b[p] as number[]) - newestBucket(b[q] as number[]) || p - q);
    const drop = new Set(order.slice(0, kept - this.cap));
    let w = 0;
    for (let i = 0; i < kept; i++) {
      if (drop.has(i)) continue;
      m[w] = m[i] as number;
      b[w] = b[i] as number[];
      w++;
    }
    m.length = w;
    b.length = w;
  }
}
