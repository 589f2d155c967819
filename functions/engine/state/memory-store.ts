/**
 * The embedded default state store: everything in one process's memory. Items expire by event
 * time and the store is capped, so memory stays flat on endless input.
 */
import type { StateItem } from './items.js';
import type { CommitResult, StateStore, StateTransaction } from './port.js';
import { ItemStateView, type ItemAccess, type StateView } from './view.js';

export interface MemoryStateStoreOptions {
  /** Most items kept; past it the oldest-created are dropped. @default 250000 */
  readonly maxItems?: number;
}

export class MemoryStateStore implements StateStore, ItemAccess {
  private readonly items = new Map<string, StateItem>();
  private readonly maxItems: number;
  private readonly view: StateView = new ItemStateView(this);
  private readonly touchedThisBatch = new Set<string>();
  private sizeAtLastSweep = 0;
  private now = 0;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.maxItems = options.maxItems ?? 250_000;
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): StateItem | undefined {
    const item = this.items.get(key);
    if (item !== undefined && item.x !== 0 && item.x < this.now) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }

  put(key: string, item: StateItem): void {
    this.items.set(key, item);
  }

  touched(key: string): void {
    this.touchedThisBatch.add(key);
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
    return {
      view: this.view,
      unloadedKeys: () => [],
      load: async () => {},
      commit: async (): Promise<CommitResult> => {
        const writes = this.touchedThisBatch.size;
        this.touchedThisBatch.clear();
        this.evict();
        return { writes, alreadyApplied: 0 };
      },
      isPublished: () => false,
      markPublished: async () => {},
    };
  }

  // Sweeps expired items when the map has grown by a quarter since the last sweep (amortised
  // O(1) per insert), then enforces the hard cap oldest-first.
  private evict(): void {
    if (this.items.size > this.sizeAtLastSweep * 1.25 + 1000) {
      for (const [key, item] of this.items) if (item.x !== 0 && item.x < this.now) this.items.delete(key);
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
