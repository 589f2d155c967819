import { Baseline } from './baseline.js';
import { addToBuckets, bucketCountAt, bucketsTotal } from './buckets.js';
import type { CounterItem } from './items.js';
import type { ItemAccess } from './view.js';

/**
 * A sliding-window count kept as fixed buckets (granularity `bucketMs`). `total(t)` sums the
 * buckets overlapping (t - windowMs, t]; a bucket straddling the window edge counts fully, so
 * the window is at most one bucket longer than configured — never shorter.
 */
export class WindowCounter {
  constructor(
    private readonly item: CounterItem,
    private readonly windowMs: number,
    private readonly bucketMs: number,
    private readonly access: ItemAccess,
    private readonly key: string,
  ) {}

  add(t: number, n = 1): void {
    addToBuckets(this.item.b, t, n, this.windowMs, this.bucketMs);
    if (this.item.x < t + this.windowMs) this.item.x = t + this.windowMs;
    this.access.touched(this.key, this.item);
  }

  /** Count in the window ending at `t`. */
  total(t: number): number {
    return bucketsTotal(this.item.b, t, this.windowMs, this.bucketMs);
  }

  /** Count of one bucket (the one containing `t`). */
  bucketCount(t: number): number {
    return bucketCountAt(this.item.b, t, this.bucketMs);
  }

  /** Count of the buckets containing the times `from` … `to` (inclusive). */
  between(from: number, to: number): number {
    const first = Math.floor(from / this.bucketMs);
    const last = Math.floor(to / this.bucketMs);
    const b = this.item.b;
    let sum = 0;
    for (let i = b.length - 2; i >= 0; i -= 2) {
      const idx = b[i] as number;
      if (idx < first) break;
      if (idx <= last) sum += b[i + 1] as number;
    }
    return sum;
  }

  /**
   * The baseline kept in this counter's item (see CounterItem.e): one item, one lookup, for a
   * detector that learns the normal level of what it counts. Observing keeps the item `ttlMs`.
   */
  baseline(ttlMs: number): Baseline {
    return new Baseline(this.item, ttlMs, this.access, this.key);
  }
}
