/**
 * State keys built from one or two recurring parts (a server, a server and a tool), kept per part:
 * the same key string every time, so the store finds the item by a cached string hash instead of
 * concatenating and hashing the key again for every event. Bounded: past `max` keys it starts over.
 */
const DEFAULT_MAX = 4096;

export class KeyCache {
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly build: (part: string) => string,
    private readonly max = DEFAULT_MAX,
  ) {}

  key(part: string): string {
    let key = this.keys.get(part);
    if (key === undefined) {
      key = this.build(part);
      if (this.keys.size >= this.max) this.keys.clear();
      this.keys.set(part, key);
    }
    return key;
  }
}

export class KeyCache2 {
  private readonly keys = new Map<string, Map<string, string>>();
  private size = 0;

  constructor(
    private readonly build: (first: string, second: string) => string,
    private readonly max = DEFAULT_MAX,
  ) {}

  key(first: string, second: string): string {
    let inner = this.keys.get(first);
    let key = inner?.get(second);
    if (key !== undefined) return key;
    key = this.build(first, second);
    if (this.size >= this.max) {
      this.keys.clear();
      this.size = 0;
      inner = undefined;
    }
    if (inner === undefined) {
      inner = new Map<string, string>();
      this.keys.set(first, inner);
    }
    inner.set(second, key);
    this.size++;
    return key;
  }
}
