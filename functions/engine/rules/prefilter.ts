/**
 * Aho-Corasick over every literal the rules require (folded). One scan of an event's leaves
 * reports which literals occur; only rules with an occurring literal (or no literal at all) are
 * evaluated. Folding happens in the character-class table, so the raw text is scanned as is.
 *
 * Small automata become a dense table (one array read per character); past DENSE_LIMIT entries
 * the automaton keeps sparse transitions and follows failure links (still linear: amortized
 * O(text + reports)).
 */
import { unitsFoldingTo } from './fold.js';

const DENSE_LIMIT = 4_000_000;

export class LiteralAutomaton {
  /** Folded literal per id. */
  readonly literals: readonly string[];
  readonly dense: boolean;
  /** Class of each ASCII unit; other units are looked up in `otherClass` (rare in logs). */
  private readonly asciiClass = new Uint16Array(128);
  private readonly otherClass = new Map<number, number>();
  private readonly classes: number;
  private readonly table: Int32Array | undefined;
  private readonly children: Map<number, number>[];
  private readonly fail: Int32Array;
  /** Literal ending at the node, -1 if none. */
  private readonly out: Int32Array;
  /** Nearest node on the failure chain (itself excluded) that ends a literal, -1 if none. */
  private readonly dict: Int32Array;
  private readonly hasOutput: Uint8Array;

  constructor(literals: readonly string[], options: { readonly dense?: boolean } = {}) {
    this.literals = literals;
    // Character classes: 0 = a unit no literal contains (resets the scan); others per folded char.
    const classIds = new Map<number, number>();
    for (const lit of literals) for (let i = 0; i < lit.length; i++) if (!classIds.has(lit.charCodeAt(i))) classIds.set(lit.charCodeAt(i), classIds.size + 1);
    this.classes = classIds.size + 1;
    for (const [folded, cls] of classIds) {
      for (const u of unitsFoldingTo(folded)) {
        if (u < 0x80) this.asciiClass[u] = cls;
        else this.otherClass.set(u, cls);
      }
    }
    // The trie.
    this.children = [new Map()];
    const outList: number[] = [-1];
    literals.forEach((lit, id) => {
      let node = 0;
      for (let i = 0; i < lit.length; i++) {
        const cls = classIds.get(lit.charCodeAt(i)) as number;
        let next = this.children[node]?.get(cls);
        if (next === undefined) {
          next = this.children.length;
          this.children.push(new Map());
          outList.push(-1);
          this.children[node]?.set(cls, next);
        }
        node = next;
      }
      if (outList[node] === -1) outList[node] = id;
    });
    const n = this.children.length;
    this.out = Int32Array.from(outList);
    this.fail = new Int32Array(n);
    this.dict = new Int32Array(n).fill(-1);
    this.hasOutput = new Uint8Array(n);
    const order: number[] = [];
    const queue: number[] = [];
    for (const child of (this.children[0] as Map<number, number>).values()) queue.push(child);
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q] as number;
      order.push(node);
      for (const [cls, child] of this.children[node] as Map<number, number>) {
        let f = this.fail[node] as number;
        while (f !== 0 && !(this.children[f] as Map<number, number>).has(cls)) f = this.fail[f] as number;
        const target = (this.children[f] as Map<number, number>).get(cls);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
    for (const node of order) {
      const f = this.fail[node] as number;
      this.dict[node] = (this.out[f] as number) >= 0 ? f : (this.dict[f] as number);
      this.hasOutput[node] = (this.out[node] as number) >= 0 || (this.dict[node] as number) >= 0 ? 1 : 0;
    }
    this.dense = options.dense ?? n * this.classes <= DENSE_LIMIT;
    if (this.dense) {
      const k = this.classes;
      const table = new Int32Array(n * k);
      for (const [cls, child] of this.children[0] as Map<number, number>) table[cls] = child;
      for (const node of order) {
        const f = this.fail[node] as number;
        const own = this.children[node] as Map<number, number>;
        for (let cls = 1; cls < k; cls++) {
          const child = own.get(cls);
          table[node * k + cls] = child !== undefined ? child : (table[f * k + cls] as number);
        }
      }
      this.table = table;
    }
  }

  /**
   * Scans `text`; calls `found(literalId)` for every literal occurrence end (a literal may be
   * reported more than once; callers dedupe).
   */
  scan(text: string, found: (literal: number) => void): void {
    const ascii = this.asciiClass;
    const other = this.otherClass;
    const hasOutput = this.hasOutput;
    let state = 0;
    if (this.table !== undefined) {
      const table = this.table;
      const k = this.classes;
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        const cls = unit < 0x80 ? (ascii[unit] as number) : (other.get(unit) ?? 0);
        state = cls === 0 ? 0 : (table[state * k + cls] as number);
        if (hasOutput[state] === 1) this.report(state, found);
      }
      return;
    }
    const children = this.children;
    const fail = this.fail;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const cls = unit < 0x80 ? (ascii[unit] as number) : (other.get(unit) ?? 0);
      if (cls === 0) {
        state = 0;
        continue;
      }
      for (;;) {
        const next = (children[state] as Map<number, number>).get(cls);
        if (next !== undefined) {
          state = next;
          break;
        }
        if (state === 0) break;
        state = fail[state] as number;
      }
      if (hasOutput[state] === 1) this.report(state, found);
    }
  }

  private report(state: number, found: (literal: number) => void): void {
    for (let s = state; s >= 0; s = this.dict[s] as number) {
      const id = this.out[s] as number;
      if (id >= 0) found(id);
    }
  }
}
