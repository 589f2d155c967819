/**
 * The embedded default state store: everything in one process's memory. Items expire by event
 * time, and the store is capped by item count and by bytes (the size of each item as it would be
 * stored, measured when a batch changed it), so memory stays flat on endless input. Past a cap the
 * least recently used items go first: dropping the oldest-created instead would forget long-lived
 * registries (known principals, approved tool definitions) and turn eviction into false alerts.
 */
import type { StateItem } from './items.js';
import type { Alert } from '../alerts/alert.js';
import { isUnpublishable } from '../alerts/unpublishable.js';
import type { CommitResult, PublishOutcome, StateStore, StateTransaction } from './port.js';
import { ItemStateView, type ItemAccess, type StateView } from './view.js';

const EXPIRY_GRACE_MS = 10 * 60_000;
/** A changed item's size is re-measured in one batch out of this many. */
const MEASURE_EVERY = 8;

export interface MemoryStateStoreOptions {
  /** Most items kept; past it the least recently used are dropped. @default 120000 */
  readonly maxItems?: number;
  /**
   * Most bytes of state kept (items measured as serialised JSON; V8 holds them in about twice
   * that), so the default keeps live state near 100 MB — inside the design's 256 MB RSS budget.
   * @default 40 MiB
   */
  readonly maxBytes?: number;
}

export class MemoryStateStore implements StateStore, ItemAccess {
  private readonly items = new Map<string, StateItem>();
  // Serialised size of each item when a batch last changed it.
  private readonly sizes = new Map<string, number>();
  private bytes = 0;
  private readonly maxItems: number;
  private readonly maxBytes: number;
  private readonly view: StateView = new ItemStateView(this);
  // Items (by identity: cheaper than hashing their keys again) changed in the current batch.
  private readonly touchedThisBatch = new Set<StateItem>();
  // Their keys: measured at commit and moved to the recent end of the map (Map order = recency).
  private readonly touchedKeys: string[] = [];
  // A detector usually touches one item several times in a row (set, set, refresh): skip the Set then.
  private lastTouched: StateItem | undefined;
  private sizeAtLastSweep = 0;
  private bytesAtLastSweep = 0;
  private batches = 0;
  private now = 0;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.maxItems = options.maxItems ?? 120_000;
    this.maxBytes = options.maxBytes ?? 40 * 1024 * 1024;
  }

  get size(): number {
    return this.items.size;
  }

  /** Serialised bytes of the items changed so far (what the byte cap is checked against). */
  get sizeBytes(): number {
    return this.bytes;
  }

  get(key: string): StateItem | undefined {
    // Expired items are harmless to read (primitives ignore out-of-window data); the sweep frees them.
    return this.items.get(key);
  }

  put(key: string, item: StateItem): void {
    this.items.set(key, item);
  }

  touched(key: string, item: StateItem): void {
    if (item === this.lastTouched) return;
    this.lastTouched = item;
    const before = this.touchedThisBatch.size;
    this.touchedThisBatch.add(item);
    if (this.touchedThisBatch.size !== before) this.touchedKeys.push(key);
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
    this.touchedKeys.length = 0;
    this.lastTouched = undefined;
    return {
      view: this.view,
      unloadedKeys: () => [],
      load: async () => {},
      commit: async (outbox?: readonly Alert[]): Promise<CommitResult> => {
        const writes = this.touchedThisBatch.size;
        this.measureAndMarkRecent();
        this.touchedThisBatch.clear();
        this.lastTouched = undefined;
        this.evict();
        return { writes, alreadyApplied: 0, ...(outbox !== undefined ? { alerts: outbox } : {}) };
      },
      publishOnce: async (_alert: Alert, publish: () => Promise<void>): Promise<PublishOutcome> => {
        try {
          await publish();
          return { status: 'published' };
        } catch (error) {
          if (isUnpublishable(error)) return { status: 'unpublishable', reason: error.message };
          throw error;
        }
      },
      isPublished: () => false,
      markPublished: async () => {},
    };
  }

  // Once per changed key per batch: near a cap, where order starts to matter, a re-insert moves it
  // to the end of the map's iteration order, so eviction (from the front) takes the least recently
  // used. Sizes: a new item is measured at once, a changed one in one batch out of MEASURE_EVERY
  // (rotating by key), because serialising every changed item cost ~7 % of the pipeline; the
  // budget lags by a few batches of growth, which the cap's headroom absorbs.
  private measureAndMarkRecent(): void {
    const reorder = this.items.size >= this.maxItems / 2 || this.bytes >= this.maxBytes / 2;
    const turn = this.batches++ % MEASURE_EVERY;
    for (const key of this.touchedKeys) {
      const item = this.items.get(key);
      if (item === undefined) continue;
      const measured = this.sizes.get(key);
      if (measured === undefined || key.length % MEASURE_EVERY === turn) {
        const size = key.length + JSON.stringify(item).length;
        this.bytes += size - (measured ?? 0);
        this.sizes.set(key, size);
      }
      if (reorder) {
        this.items.delete(key);
        this.items.set(key, item);
      }
    }
    this.touchedKeys.length = 0;
  }

  private drop(key: string): void {
    this.items.delete(key);
    const size = this.sizes.get(key);
    if (size !== undefined) {
      this.bytes -= size;
      this.sizes.delete(key);
    }
  }

  // Sweeps expired items when the store has grown by a quarter since the last sweep (amortised
  // O(1) per change), then enforces the caps least-recently-used first. Items expire a grace period
  // after their time: log streams arrive out of order by minutes, and a late event may still need them.
  private evict(): void {
    if (
      this.items.size > this.sizeAtLastSweep * 1.25 + 1000 ||
      this.bytes > this.bytesAtLastSweep * 1.25 + 1_000_000
    ) {
      const before = this.now - EXPIRY_GRACE_MS;
      for (const [key, item] of this.items) if (item.x !== 0 && item.x < before) this.drop(key);
      this.sizeAtLastSweep = this.items.size;
      this.bytesAtLastSweep = this.bytes;
    }
    if (this.items.size <= this.maxItems && this.bytes <= this.maxBytes) return;
    for (const key of this.items.keys()) {
      if (this.items.size <= this.maxItems && this.bytes <= this.maxBytes) break;
      this.drop(key);
    }
  }
}
