/**
 * State keys built from one or two recurring parts (a server, a server and a tool), kept per part:
 * the same key string every time, so the store finds the item by a cached string hash instead of
 * concatenating and hashing the key again for every event. Bounded by count AND by size, since
 * parts come from events an attacker writes: a part longer than CACHED_PART_CHARS is built into its
 * key every time and never kept, and past `max` keys or `maxChars` characters (parts plus keys) the
 * cache starts over — about 0.5 MiB per cache at most under a flood of new or long names.
 */
const DEFAULT_MAX = 4096;
/** Characters (parts and keys) one cache holds; UTF-16, so about twice that in bytes. */
export const KEY_CACHE_MAX_CHARS = 256 * 1024;
/** What an entry and an inner map cost beyond their strings, in characters (Map slots, headers). */
const ENTRY_OVERHEAD = 16;
const MAP_OVERHEAD = 64;
/** Longest part a cache keeps. */
export const CACHED_PART_CHARS = 256;

export class KeyCache {
  private readonly keys = new Map<string, string>();
  private chars = 0;

  constructor(
    private readonly build: (part: string) => string,
    private readonly max = DEFAULT_MAX,
    private readonly maxChars = KEY_CACHE_MAX_CHARS,
  ) {}

  key(part: string): string {
    let key = this.keys.get(part);
    if (key === undefined) {
      key = this.build(part);
      if (part.length > CACHED_PART_CHARS) return key;
      const cost = part.length + key.length + ENTRY_OVERHEAD;
      if (this.keys.size >= this.max || this.chars + cost > this.maxChars) {
        this.keys.clear();
        this.chars = 0;
      }
      this.keys.set(part, key);
      this.chars += cost;
    }
    return key;
  }
}

export class KeyCache2 {
  private readonly keys = new Map<string, Map<string, string>>();
  private size = 0;
  private chars = 0;

  constructor(
    private readonly build: (first: string, second: string) => string,
    private readonly max = DEFAULT_MAX,
    private readonly maxChars = KEY_CACHE_MAX_CHARS,
  ) {}

  key(first: string, second: string): string {
    let inner = this.keys.get(first);
    let key = inner?.get(second);
    if (key !== undefined) return key;
    key = this.build(first, second);
    if (first.length > CACHED_PART_CHARS || second.length > CACHED_PART_CHARS) return key;
    const cost = (inner === undefined ? first.length + MAP_OVERHEAD : 0) + second.length + key.length + ENTRY_OVERHEAD;
    if (this.size >= this.max || this.chars + cost > this.maxChars) {
      this.keys.clear();
      this.size = 0;
      this.chars = 0;
      inner = undefined;
    }
    if (inner === undefined) {
      inner = new Map<string, string>();
      this.keys.set(first, inner);
      this.chars += first.length + MAP_OVERHEAD;
    }
    inner.set(second, key);
    this.size++;
    this.chars += second.length + key.length + ENTRY_OVERHEAD;
    return key;
  }
}
