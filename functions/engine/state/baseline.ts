import type { BaselineItem, CounterItem, EwmaFields } from './items.js';
import type { ItemAccess } from './view.js';

const EMPTY: Readonly<EwmaFields> = Object.freeze({ n: 0, mean: 0, variance: 0, at: 0 });

/**
 * Exponentially weighted mean and variance of an observed quantity (a rate per bucket, a
 * latency). `alpha` is the weight of a new observation. Kept in its own item, or inside a
 * counter's item (CounterItem.e, created by the first observation).
 */
export class Baseline {
  constructor(
    private readonly item: BaselineItem | CounterItem,
    private readonly ttlMs: number,
    private readonly access: ItemAccess,
    private readonly key: string,
  ) {}

  private get fields(): Readonly<EwmaFields> {
    const item = this.item;
    return item.k === 'e' ? item : (item.e ?? EMPTY);
  }

  get count(): number {
    return this.fields.n;
  }

  get mean(): number {
    return this.fields.mean;
  }

  get stddev(): number {
    return Math.sqrt(this.fields.variance);
  }

  /** Time of the last observation (epoch ms), 0 when none. */
  get lastAt(): number {
    return this.fields.at;
  }

  observe(value: number, t: number, alpha: number): void {
    const owner = this.item;
    let f: EwmaFields;
    if (owner.k === 'e') f = owner;
    else f = owner.e ??= { n: 0, mean: 0, variance: 0, at: 0 };
    if (f.n === 0) {
      f.mean = value;
      f.variance = 0;
    } else {
      const diff = value - f.mean;
      const incr = alpha * diff;
      f.mean += incr;
      f.variance = (1 - alpha) * (f.variance + diff * incr);
    }
    f.n += 1;
    f.at = Math.max(f.at, t);
    owner.x = Math.max(owner.x, t + this.ttlMs);
    this.access.touched(this.key, owner);
  }
}
