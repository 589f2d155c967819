import type { CounterItem } from './items.js';

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
    private readonly touch: () => void,
  ) {}

  add(t: number, n = 1): void {
    const bucket = Math.floor(t / this.bucketMs);
    const buckets = this.item.b;
    const key = String(bucket);
    const count = buckets[key];
    if (count !== undefined) buckets[key] = count + n;
    else {
      // A new bucket is the only moment old ones can have fallen out of the window.
      buckets[key] = n;
      const oldest = Math.floor((t - this.windowMs) / this.bucketMs);
      for (const k in buckets) if (Number(k) < oldest) delete buckets[k];
    }
    this.item.x = Math.max(this.item.x, t + this.windowMs);
    this.touch();
  }

  /** Count in the window ending at `t`. */
  total(t: number): number {
    const oldest = Math.floor((t - this.windowMs) / this.bucketMs);
    const newest = Math.floor(t / this.bucketMs);
    let sum = 0;
    const buckets = this.item.b;
    for (const k in buckets) {
      const idx = Number(k);
      if (idx >= oldest && idx <= newest) sum += buckets[k] ?? 0;
    }
    return sum;
  }

  /** Count of one bucket (the one containing `t`). */
  bucketCount(t: number): number {
    return this.item.b[String(Math.floor(t / this.bucketMs))] ?? 0;
  }
}
