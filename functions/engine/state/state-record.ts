import type { RecordItem } from './items.js';
import { forgetKeys, keyAdded, keyDeleted, ownKeyCount, ownKeys } from './key-index.js';
import type { ItemAccess } from './view.js';

/**
 * A small bounded map of facts: registries (tool-definition hashes, tool name → servers), session
 * facts, alert dedup. Values must be JSON. Past `maxFields` new fields are refused (`set` returns
 * false) so no input can grow an item past the remote store's item-size limit.
 *
 * Field counts and names come from a key index kept beside the item (key-index.ts), not from
 * `Object.keys` on every call.
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

  /** The record's logical expiry (event time, epoch ms): `refresh` moves it to `t + ttl`. */
  get expiresAt(): number {
    return this.item.x;
  }

  get size(): number {
    return ownKeyCount(this.item.v);
  }

  /** The field names, in a new array. */
  fields(): string[] {
    return ownKeys(this.item.v).slice();
  }

  /**
   * The field names without a copy: a snapshot later sets and deletes leave alone (so fields may
   * be deleted while walking it), shared with other callers, so never changed by the caller.
   */
  fieldNames(): readonly string[] {
    return ownKeys(this.item.v);
  }

  /** Calls `visit` for each field and its value, over a snapshot of the names as `fieldNames()`. */
  forEachField(visit: (field: string, value: unknown) => void): void {
    const values = this.item.v;
    for (const field of ownKeys(values)) visit(field, values[field]);
  }

  /** Sets a field, refreshing the record's expiry from event time `t`. */
  set(field: string, value: unknown, t: number): boolean {
    const values = this.item.v;
    if (Object.hasOwn(values, field)) values[field] = value;
    else if (field in values) {
      // A name the object inherits ('constructor', …): assigning may add an own key or do nothing.
      values[field] = value;
      forgetKeys(values);
    } else {
      if (ownKeyCount(values) >= this.maxFields) return false;
      values[field] = value;
      keyAdded(values);
    }
    this.refresh(t);
    return true;
  }

  delete(field: string, t: number): void {
    const values = this.item.v;
    if (Object.hasOwn(values, field)) {
      delete values[field];
      keyDeleted(values);
    } else if (!(field in values)) return;
    this.refresh(t);
  }

  /** Keeps the record alive until `t + ttl` without changing a field. */
  refresh(t: number): void {
    this.item.x = Math.max(this.item.x, t + this.ttlMs);
    this.access.touched(this.key, this.item);
  }
}
