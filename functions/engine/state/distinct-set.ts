import type { DistinctItem } from './items.js';
import { forgetKeys, keyAdded, keyDeleted, ownKeyCount } from './key-index.js';
import type { ItemAccess } from './view.js';

/**
 * Members seen within a window, each with its last-seen time. Bounded: past `cap` members the
 * least recently seen are dropped, so an attacker cycling values cannot grow the item.
 */
export class DistinctSet {
  constructor(
    private readonly item: DistinctItem,
    private readonly windowMs: number,
    private readonly cap: number,
    private readonly access: ItemAccess,
    private readonly key: string,
  ) {}

  add(member: string, t: number): void {
    const members = this.item.m;
    const own = Object.hasOwn(members, member);
    const isNew = !own && !(member in members);
    members[member] = Math.max(members[member] ?? 0, t);
    if (isNew) {
      keyAdded(members);
      this.prune(t);
    } else if (!own) forgetKeys(members); // an inherited name ('constructor', …) just became own
    this.item.x = Math.max(this.item.x, t + this.windowMs);
    this.access.touched(this.key, this.item);
  }

  has(member: string, t: number): boolean {
    const seen = this.item.m[member];
    return seen !== undefined && seen > t - this.windowMs;
  }

  /** Members seen in the window ending at `t`. */
  count(t: number): number {
    const since = t - this.windowMs;
    let n = 0;
    for (const k in this.item.m) if ((this.item.m[k] ?? 0) > since) n++;
    return n;
  }

  members(t: number): string[] {
    const since = t - this.windowMs;
    return Object.keys(this.item.m).filter((k) => (this.item.m[k] ?? 0) > since);
  }

  private prune(t: number): void {
    const members = this.item.m;
    // The member count, kept beside the item: Object.keys on every new member walks and sorts them all.
    if (ownKeyCount(members) <= this.cap) return;
    const since = t - this.windowMs;
    const keys = Object.keys(members);
    let expired = 0;
    for (const k of keys) {
      if (!((members[k] ?? 0) <= since)) continue; // not `> since`: a NaN time stays, as it always did
      this.drop(k);
      expired++;
    }
    const left = expired === 0 ? keys : Object.keys(members);
    if (left.length <= this.cap) return;
    left.sort((a, b) => (members[a] ?? 0) - (members[b] ?? 0));
    for (const k of left.slice(0, left.length - this.cap)) this.drop(k);
  }

  private drop(member: string): void {
    delete this.item.m[member];
    keyDeleted(this.item.m);
  }
}
