import type { RecordItem } from './items.js';
import type { ItemAccess } from './view.js';

/**
 * A small bounded map of facts: registries (tool-definition hashes, tool name → servers), session
 * facts, alert dedup. Values must be JSON. Past `maxFields` new fields are refused (`set` returns
 * false) so no input can grow an item past the remote store's item-size limit.
 */
export class StateRecord {
  constructor(
    private readonly item: RecordItem,
    private readonly ttlMs: number,
    private readonly maxFields: number,
    private readonly access: ItemAccess,
    private readonly key: string,
  ) {}

  get<T = unknown>(field: string): T | undefined {
    return this.item.v[field] as T | undefined;
  }

  has(field: string): boolean {
    return field in this.item.v;
  }

  get size(): number {
    return Object.keys(this.item.v).length;
  }

  fields(): string[] {
    return Object.keys(this.item.v);
  }

  /** Sets a field, refreshing the record's expiry from event time `t`. */
  set(field: string, value: unknown, t: number): boolean {
    const values = this.item.v;
    if (!(field in values) && Object.keys(values).length >= this.maxFields) return false;
    values[field] = value;
    this.refresh(t);
    return true;
  }

  delete(field: string, t: number): void {
    if (!(field in this.item.v)) return;
    delete this.item.v[field];
    this.refresh(t);
  }

  /** Keeps the record alive until `t + ttl` without changing a field. */
  refresh(t: number): void {
    this.item.x = Math.max(this.item.x, t + this.ttlMs);
    this.access.touched(this.key, this.item);
  }
}
