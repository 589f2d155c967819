import type { BaselineItem } from './items.js';
import type { ItemAccess } from './view.js';

/**
 * Exponentially weighted mean and variance of an observed quantity (a rate per bucket, a
 * latency). `alpha` is the weight of a new observation.
 */
export class Baseline {
  constructor(
    private readonly item: BaselineItem,
    private readonly ttlMs: number,
    private readonly access: ItemAccess,
    private readonly key: string,
  ) {}

  get count(): number {
    return this.item.n;
  }

  get mean(): number {
    return this.item.mean;
  }

  get stddev(): number {
    return Math.sqrt(this.item.variance);
  }

  /** Time of the last observation (epoch ms), 0 when none. */
  get lastAt(): number {
    return this.item.at;
  }

  observe(value: number, t: number, alpha: number): void {
    const item = this.item;
    if (item.n === 0) {
      item.mean = value;
      item.variance = 0;
    } else {
      const diff = value - item.mean;
      const incr = alpha * diff;
      item.mean += incr;
      item.variance = (1 - alpha) * (item.variance + diff * incr);
    }
    item.n += 1;
    item.at = Math.max(item.at, t);
    item.x = Math.max(item.x, t + this.ttlMs);
    this.access.touched(this.key, this.item);
  }
}
