/**
 * The batch working set of a remote store: stored values as loaded, the working copies detectors
 * mutate, and the keys a pass asked for that were not loaded. Pure; the adapter does the I/O.
 */
import type { StateItem } from './items.js';
import type { ItemAccess } from './view.js';

export interface ItemChange {
  readonly key: string;
  /** The value as loaded (what this batch saw), undefined when the item did not exist. */
  readonly loaded: StateItem | undefined;
  readonly next: StateItem;
}

export class WorkingSet implements ItemAccess {
  private readonly stored = new Map<string, string | null>();
  private readonly working = new Map<string, StateItem>();
  private readonly dirty = new Set<string>();
  private readonly missing = new Set<string>();

  get(key: string): StateItem | undefined {
    const live = this.working.get(key);
    if (live !== undefined) return live;
    const json = this.stored.get(key);
    if (json === undefined) {
      this.missing.add(key);
      return undefined;
    }
    if (json === null) return undefined;
    const item = JSON.parse(json) as StateItem;
    this.working.set(key, item);
    return item;
  }

  put(key: string, item: StateItem): void {
    this.working.set(key, item);
  }

  touched(key: string, _item: StateItem): void {
    this.dirty.add(key);
  }

  /** Records a stored value (`null`: the store has no item under `key`). */
  setStored(key: string, json: string | null): void {
    this.stored.set(key, json);
  }

  isLoaded(key: string): boolean {
    return this.stored.has(key);
  }

  unloadedKeys(): string[] {
    return [...this.missing].filter((key) => !this.stored.has(key));
  }

  /** Forgets every working copy and change; the next pass starts from stored values. */
  reset(): void {
    this.working.clear();
    this.dirty.clear();
    this.missing.clear();
  }

  changes(): ItemChange[] {
    const out: ItemChange[] = [];
    for (const key of this.dirty) {
      const next = this.working.get(key);
      if (next === undefined) continue;
      const json = this.stored.get(key);
      out.push({ key, loaded: json ? (JSON.parse(json) as StateItem) : undefined, next });
    }
    return out;
  }
}
