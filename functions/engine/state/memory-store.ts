/**
 * The embedded default state store: everything in one process's memory. Items expire by event
 * time and the store is capped, so memory stays flat on endless input.
 */
import type { StateItem } from './items.js';
import type { CommitResult, StateStore, StateTransaction } from './port.js';
import { ItemStateView, type ItemAccess, type StateView } from './view.js';

const EXPIRY_GRACE_MS = 10 * 60_000;

export interface MemoryStateStoreOptions {
  /** Most items kept; past it the oldest-created are dropped. @default 250000 */
  readonly maxItems?: number;
}

export class MemoryStateStore implements StateStore, ItemAccess {
  private readonly items = new Map<string, StateItem>();
  private readonly maxItems: number;
  private readonly view: StateView = new ItemStateView(this);
  // Items (by identity: cheaper than hashing their keys again) changed in the current batch.
  private readonly touchedThisBatch = new Set<StateItem>();
  // A detector usually touches one item several times in a row (set, set, refresh): skip the Set then.
  private lastTouched: StateItem | undefined;
  private sizeAtLastSweep = 0;
  private now = 0;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.maxItems = options.maxItems ?? 250_000;
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): StateItem | undefined {
    // Expired items are harmless to read (primitives ignore out-of-window data); the sweep frees them.
    return this.items.get(key);
  }

  put(key: string, item: StateItem): void {
    this.items.set(key, item);
  }

  touched(_key: string, item: StateItem): void {
    if (item === this.lastTouched) return;
    this.lastTouched = item;
    this.touchedThisBatch.add(item);
  }

  /** Read-only access for tests and tools: the item under `key`, if any. */
  peek(key: string): StateItem | undefined {
    return this.items.get(key);
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  async begin(_batchId: string, now: number): Promise<StateTransaction> {
    this.now = Math.max(this.now, now);
    this.touchedThisBatch.clear();
    this.lastTouched = undefined;
    return {
      view: this.view,
      unloadedKeys: () => [],
      load: async () => {},
      commit: async (): Promise<CommitResult> => {
        const writes = this.touchedThisBatch.size;
        this.touchedThisBatch.clear();
        this.lastTouched = undefined;
        this.evict();
        return { writes, alreadyApplied: 0 };
      },
      isPublished: () => false,
      markPublished: async () => {},
    };
  }

  // Sweeps expired items when the map has grown by a quarter since the last sweep (amortised
  // O(1) per insert), then enforces the hard cap oldest-first. Items expire a grace period after
  // their time: log streams arrive out of order by minutes, and a late event may still need them.
  private evict(): void {
    if (this.items.size > this.sizeAtLastSweep * 1.25 + 1000) {
      const before = this.now - EXPIRY_GRACE_MS;
      for (const [key, item] of this.items) if (item.x !== 0 && item.x < before) this.items.delete(key);
      this.sizeAtLastSweep = this.items.size;
    }
    if (this.items.size <= this.maxItems) return;
    let excess = this.items.size - this.maxItems;
    for (const key of this.items.keys()) {
      if (excess-- <= 0) break;
      this.items.delete(key);
    }
  }
}
