/**
 * The one pass over an event's text that every rule shares. The event is walked once (bounded in
 * leaves, depth and characters); each scalar leaf is recorded once with the rule fields it falls
 * under (a field holding an object owns every leaf below it), so a rule reads a field's values
 * without walking again and the prefilter scans exactly the text rules can match.
 */
import { fold } from './fold.js';

/** Most scalar leaves taken from one event. */
export const MAX_EVENT_LEAVES = 512;
/** Characters kept of one leaf (a longer string is cut: rules and prefilter see the same prefix). */
export const MAX_LEAF_CHARS = 16_384;
/** Characters kept over the whole event. */
export const MAX_EVENT_CHARS = 262_144;
const MAX_DEPTH = 12;
const MAX_PAIRS = MAX_EVENT_LEAVES * 4;
/** A number as text: what `gt`/`lt` compare in string leaves ("-5", "1e3", " 42" is not). */
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Rule field names (dot paths) as a tree of key segments; arrays are transparent. */
export class FieldTree {
  readonly children = new Map<string, FieldTree>();
  field = -1;

  /** The id of `path` (`arguments.path`), added when new. */
  static add(root: FieldTree, path: string, ids: Map<string, number>): number {
    const known = ids.get(path);
    if (known !== undefined) return known;
    let node = root;
    for (const segment of path.split('.')) {
      let next = node.children.get(segment);
      if (!next) {
        next = new FieldTree();
        node.children.set(segment, next);
      }
      node = next;
    }
    node.field = ids.size;
    ids.set(path, node.field);
    return node.field;
  }
}

/** One event's leaves, reused from event to event (no allocation per leaf beyond the strings). */
export class EventText {
  /** Raw (cut) text of each leaf. */
  readonly raw: string[] = [];
  count = 0;
  chars = 0;
  private readonly foldedCache: (string | undefined)[] = [];
  private readonly numberCache = new Float64Array(MAX_EVENT_LEAVES);
  /** Per leaf: 0 number not parsed yet, 1 parsed; 2 = the leaf was a JSON number (cache holds it). */
  private readonly numberState = new Uint8Array(MAX_EVENT_LEAVES);
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly present: Uint8Array;
  private readonly next = new Int32Array(MAX_PAIRS);
  private readonly leafOf = new Int32Array(MAX_PAIRS);
  private pairs = 0;
  private readonly touched: number[] = [];
  /**
   * The rule fields the walk is inside, outermost first: `active[0..n)` for a walk call given `n`
   * (a stack, not a linked list of objects: no allocation per field node visited).
   */
  private readonly active = new Int32Array(MAX_DEPTH + 1);

  /**
   * @param walkAll Walk every leaf (a keyword rule searches the whole event); otherwise only the
   *   subtrees of the fields rules name are walked, and the prefilter scans just that text.
   */
  constructor(
    private readonly tree: FieldTree,
    fieldCount: number,
    private readonly walkAll = true,
  ) {
    this.head = new Int32Array(fieldCount).fill(-1);
    this.tail = new Int32Array(fieldCount).fill(-1);
    this.present = new Uint8Array(fieldCount);
  }

  load(event: unknown): void {
    for (const f of this.touched) {
      this.head[f] = -1;
      this.tail[f] = -1;
      this.present[f] = 0;
    }
    this.touched.length = 0;
    for (let i = 0; i < this.count; i++) this.foldedCache[i] = undefined;
    this.numberState.fill(0, 0, this.count);
    this.count = 0;
    this.chars = 0;
    this.pairs = 0;
    this.walk(event, this.tree, 0, 0);
  }

  folded(leaf: number): string {
    let f = this.foldedCache[leaf];
    if (f === undefined) {
      f = fold(this.raw[leaf] as string);
      this.foldedCache[leaf] = f;
    }
    return f;
  }

  /** The leaf as a number (numbers, numeric strings), NaN otherwise. */
  number(leaf: number): number {
    if (this.numberState[leaf] === 0) {
      const text = this.raw[leaf] as string;
      this.numberCache[leaf] = text.length > 0 && text.length < 32 && NUMERIC.test(text) ? Number(text) : NaN;
      this.numberState[leaf] = 1;
    }
    return this.numberCache[leaf] as number;
  }

  /** Whether the event has the field (even with no scalar below it). */
  has(field: number): boolean {
    return this.present[field] === 1;
  }

  /** First pair index of a field's leaves (-1 when none); iterate with `nextPair` and `leafAt`. */
  firstPair(field: number): number {
    return this.head[field] as number;
  }

  nextPair(pair: number): number {
    return this.next[pair] as number;
  }

  leafAt(pair: number): number {
    return this.leafOf[pair] as number;
  }

  /** The field's first value (group-by, subjects), undefined when absent. */
  firstValue(field: number): string | undefined {
    const pair = this.head[field] as number;
    return pair < 0 ? undefined : this.raw[this.leafOf[pair] as number];
  }

  private walk(value: unknown, node: FieldTree | undefined, activeCount: number, depth: number): void {
    if (value === null || value === undefined) return;
    // Off every rule field: nothing below can be read, unless keywords search everything.
    if (node === undefined && activeCount === 0 && !this.walkAll) return;
    const active = this.active;
    if (node !== undefined && node.field >= 0 && (activeCount === 0 || active[activeCount - 1] !== node.field)) {
      active[activeCount++] = node.field;
      this.mark(node.field);
    }
    const type = typeof value;
    if (type === 'object') {
      if (depth >= MAX_DEPTH) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && this.count < MAX_EVENT_LEAVES; i++) this.walk(value[i], node, activeCount, depth + 1);
        return;
      }
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        if (this.count >= MAX_EVENT_LEAVES || this.chars >= MAX_EVENT_CHARS) return;
        this.walk(obj[key], node?.children.get(key), activeCount, depth + 1);
      }
      return;
    }
    if (this.count >= MAX_EVENT_LEAVES || this.chars >= MAX_EVENT_CHARS) return;
    let text: string;
    const leaf = this.count;
    if (type === 'string') {
      text = value as string;
      const room = Math.min(MAX_LEAF_CHARS, MAX_EVENT_CHARS - this.chars);
      if (text.length > room) text = text.slice(0, room);
    } else if (type === 'number' || type === 'boolean' || type === 'bigint') {
      text = String(value);
      if (type !== 'boolean') {
        this.numberCache[leaf] = Number(value);
        this.numberState[leaf] = 2;
      }
    } else return;
    this.count++;
    this.chars += text.length;
    this.raw[leaf] = text;
    // Innermost first, as the fields are linked in (order of pairs within a field is what matters).
    for (let a = activeCount - 1; a >= 0; a--) this.link(active[a] as number, leaf);
  }

  private mark(field: number): void {
    if (this.present[field] === 1) return;
    this.present[field] = 1;
    this.touched.push(field);
  }

  private link(field: number, leaf: number): void {
    if (this.pairs >= MAX_PAIRS) return;
    const pair = this.pairs++;
    this.leafOf[pair] = leaf;
    this.next[pair] = -1;
    const t = this.tail[field] as number;
    if (t < 0) this.head[field] = pair;
    else this.next[t] = pair;
    this.tail[field] = pair;
  }
}
