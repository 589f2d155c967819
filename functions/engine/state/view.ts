/**
 * The detectors' window onto state. Every accessor is synchronous: a store loads what a batch
 * needs before detection runs (see port.ts), so detectors stay pure functions of their inputs.
 */
import { Baseline } from './baseline.js';
import { CounterMap } from './counter-map.js';
import { DistinctSet } from './distinct-set.js';
import { emptyItem, type StateItem, type StateItemKind } from './items.js';
import { StateRecord } from './state-record.js';
import { WindowCounter } from './window-counter.js';

export interface CounterOptions {
  readonly windowMs: number;
  /** Bucket granularity. @default windowMs / 10 (at least 1 s) */
  readonly bucketMs?: number;
}

export interface CounterMapOptions extends CounterOptions {
  /** Most members kept. @default 256 */
  readonly cap?: number;
}

export interface DistinctOptions {
  readonly windowMs: number;
  /** Most members kept. @default 256 */
  readonly cap?: number;
}

export interface BaselineOptions {
  /** How long the baseline survives without observations. */
  readonly ttlMs: number;
}

export interface RecordOptions {
  readonly ttlMs: number;
  /** @default 256 */
  readonly maxFields?: number;
}

export interface StateView {
  counter(key: string, options: CounterOptions): WindowCounter;
  /** Window counters per member under one item (many small counters of one owner). */
  counters(key: string, options: CounterMapOptions): CounterMap;
  distinct(key: string, options: DistinctOptions): DistinctSet;
  baseline(key: string, options: BaselineOptions): Baseline;
  record(key: string, options: RecordOptions): StateRecord;
  /** Whether the item exists, without creating it. */
  exists(key: string): boolean;
}

/** How a view reaches items; implemented by the in-memory store and the remote working set. */
export interface ItemAccess {
  get(key: string): StateItem | undefined;
  put(key: string, item: StateItem): void;
  /** The item under `key` changed in this batch. */
  touched(key: string, item: StateItem): void;
}

export class ItemStateView implements StateView {
  constructor(private readonly access: ItemAccess) {}

  counter(key: string, options: CounterOptions): WindowCounter {
    const item = this.item(key, 'c');
    const bucketMs = options.bucketMs ?? Math.max(1000, Math.floor(options.windowMs / 10));
    return new WindowCounter(item, options.windowMs, bucketMs, this.access, key);
  }

  counters(key: string, options: CounterMapOptions): CounterMap {
    const item = this.item(key, 'm');
    const bucketMs = options.bucketMs ?? Math.max(1000, Math.floor(options.windowMs / 10));
    return new CounterMap(item, options.windowMs, bucketMs, options.cap ?? 256, this.access, key);
  }

  distinct(key: string, options: DistinctOptions): DistinctSet {
    return new DistinctSet(this.item(key, 'd'), options.windowMs, options.cap ?? 256, this.access, key);
  }

  baseline(key: string, options: BaselineOptions): Baseline {
    return new Baseline(this.item(key, 'e'), options.ttlMs, this.access, key);
  }

  record(key: string, options: RecordOptions): StateRecord {
    return new StateRecord(this.item(key, 'r'), options.ttlMs, options.maxFields ?? 256, this.access, key);
  }

  exists(key: string): boolean {
    return this.access.get(key) !== undefined;
  }

  private item<K extends StateItemKind>(key: string, kind: K): Extract<StateItem, { k: K }> {
    const existing = this.access.get(key);
    if (existing !== undefined && existing.k === kind) return existing as Extract<StateItem, { k: K }>;
    const created = emptyItem(kind) as Extract<StateItem, { k: K }>;
    this.access.put(key, created);
    return created;
  }
}
