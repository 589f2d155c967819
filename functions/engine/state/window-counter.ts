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
    const bucket = Math.floor(t / this.bucketMs);
    const b = this.item.b;
    const last = b.length - 2;
    if (last >= 0 && b[last] === bucket) {
      b[last + 1] = (b[last + 1] as number) + n;
    } else if (last < 0 || (b[last] as number) < bucket) {
      // A new bucket is the only moment old ones can have fallen out of the window.
      const oldest = Math.floor((t - this.windowMs) / this.bucketMs);
      let drop = 0;
      while (drop < b.length && (b[drop] as number) < oldest) drop += 2;
      if (drop > 0) b.splice(0, drop);
      b.push(bucket, n);
    } else {
      // An event older than the newest bucket (log streams interleave out of order).
      let i = 0;
      while (i < b.length && (b[i] as number) < bucket) i += 2;
      if (b[i] === bucket) b[i + 1] = (b[i + 1] as number) + n;
      else b.splice(i, 0, bucket, n);
    }
    if (this.item.x < t + this.windowMs) this.item.x = t + this.windowMs;
    this.access.touched(this.key, this.item);
  }

  /** Count in the window ending at `t`. */
  total(t: number): number {
    const oldest = Math.floor((t - this.windowMs) / this.bucketMs);
    const newest = Math.floor(t / this.bucketMs);
    const b = this.item.b;
    let sum = 0;
    for (let i = 0; i < b.length; i += 2) {
      const idx = b[i] as number;
      if (idx >= oldest && idx <= newest) sum += b[i + 1] as number;
    }
    return sum;
  }

  /** Count of one bucket (the one containing `t`). */
  bucketCount(t: number): number {
    const bucket = Math.floor(t / this.bucketMs);
    const b = this.item.b;
    for (let i = b.length - 2; i >= 0; i -= 2) if (b[i] === bucket) return b[i + 1] as number;
    return 0;
  }
}
