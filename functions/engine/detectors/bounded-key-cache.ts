/**
 * KeyCache / KeyCache2 (state/key-cache.ts) for parts taken from events (session ids, principals,
 * server names), which an attacker can make arbitrarily long: a part longer than CACHED_PART_MAX is
 * built into its key every time and never kept, so the caches' memory stays bounded by count AND
 * size (at most 4096 entries of ≤ 2 × 128 characters of parts plus a key of keyPart-bounded parts:
 * about 1.5 MB per cache under a flood of long ids, far less with ordinary ids).
 */
import { KeyCache, KeyCache2 } from '../state/key-cache.js';

export const CACHED_PART_MAX = 128;

export class BoundedKeyCache {
  private readonly cache: KeyCache;

  constructor(private readonly build: (part: string) => string) {
    this.cache = new KeyCache(build);
  }

  key(part: string): string {
    return part.length <= CACHED_PART_MAX ? this.cache.key(part) : this.build(part);
  }
}

export class BoundedKeyCache2 {
  private readonly cache: KeyCache2;

  constructor(private readonly build: (first: string, second: string) => string) {
    this.cache = new KeyCache2(build);
  }

  key(first: string, second: string): string {
    return first.length <= CACHED_PART_MAX && second.length <= CACHED_PART_MAX
      ? this.cache.key(first, second)
      : this.build(first, second);
  }
}
