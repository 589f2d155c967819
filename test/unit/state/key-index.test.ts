/**
 * StateRecord and DistinctSet count and list keys from an index kept beside the item
 * (key-index.ts). These tests hold them to what asking the object (`Object.keys`) answers, over
 * random operations, and check the index never leaks into the stored JSON.
 */
import { describe, expect, it } from 'vitest';
import type { DistinctItem, RecordItem, StateItem } from '../../../functions/engine/state/items.js';
import { mergeItem } from '../../../functions/engine/state/merge.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { DistinctSet } from '../../../functions/engine/state/distinct-set.js';
import { StateRecord } from '../../../functions/engine/state/state-record.js';
import type { ItemAccess } from '../../../functions/engine/state/view.js';
import { WorkingSet } from '../../../functions/engine/state/working-set.js';

const noAccess: ItemAccess = { get: () => undefined, put: () => {}, touched: () => {} };

/** The record as it was before the index: every answer from the object itself. */
class ReferenceRecord {
  constructor(
    readonly item: RecordItem,
    private readonly maxFields: number,
  ) {}

  get size(): number {
    return Object.keys(this.item.v).length;
  }

  fields(): string[] {
    return Object.keys(this.item.v);
  }

  set(field: string, value: unknown, t: number): boolean {
    const values = this.item.v;
    if (!(field in values) && Object.keys(values).length >= this.maxFields) return false;
    values[field] = value;
    this.item.x = Math.max(this.item.x, t + 1000);
    return true;
  }

  delete(field: string, t: number): void {
    if (!(field in this.item.v)) return;
    delete this.item.v[field];
    this.item.x = Math.max(this.item.x, t + 1000);
  }
}

/** A deterministic PRNG (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

// Plain names, integer-like names (listed first by Object.keys) and names every object inherits.
const NAMES = ['a', 'b', 'c', 'tool.read', 'r.k3', '7', '0', '42', '1e3', '-1', 'constructor', 'toString', 'x'];

function emptyRecord(): RecordItem {
  return { k: 'r', x: 0, v: {} };
}

describe('StateRecord key index', () => {
  it('answers size, fields and set refusals exactly as Object.keys would, over random operations', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const pick = () => NAMES[Math.floor(next() * NAMES.length)] as string;
      const maxFields = 1 + Math.floor(next() * 6);
      const item = emptyRecord();
      const reference = new ReferenceRecord(emptyRecord(), maxFields);
      // A new StateRecord per step, as detectors get one per event, plus one long-lived instance.
      const longLived = new StateRecord(item, 1000, maxFields, noAccess, 'k');
      const held: Array<{ names: readonly string[]; expected: string[] }> = [];
      for (let step = 0; step < 300; step++) {
        const record = next() < 0.5 ? longLived : new StateRecord(item, 1000, maxFields, noAccess, 'k');
        const op = next();
        const field = pick();
        if (op < 0.45) expect(record.set(field, step, step)).toBe(reference.set(field, step, step));
        else if (op < 0.75) {
          record.delete(field, step);
          reference.delete(field, step);
        } else if (op < 0.85) {
          const names = record.fieldNames();
          held.push({ names, expected: [...names] });
        } else {
          const visited: string[] = [];
          record.forEachField((f, value) => {
            expect(value).toBe(item.v[f]);
            visited.push(f);
          });
          expect(visited).toEqual(reference.fields());
        }
        expect(record.size).toBe(reference.size);
        expect(record.fields()).toEqual(reference.fields());
        expect(JSON.stringify(item)).toBe(JSON.stringify(reference.item));
      }
      // Snapshots handed out earlier were never changed by later sets and deletes.
      for (const { names, expected } of held) expect(names).toEqual(expected);
    }
  });

  it('lets fields be deleted while walking fieldNames()', () => {
    const item = emptyRecord();
    const record = new StateRecord(item, 1000, 16, noAccess, 'k');
    for (const f of ['a', 'b', 'c', 'd']) record.set(f, 1, 0);
    const walked: string[] = [];
    for (const f of record.fieldNames()) {
      walked.push(f);
      record.delete(f, 1);
    }
    expect(walked).toEqual(['a', 'b', 'c', 'd']);
    expect(record.size).toBe(0);
    expect(record.set('e', 1, 2)).toBe(true);
    expect(record.fieldNames()).toEqual(['e']);
  });

  it('refuses the field past maxFields on a parsed item whose fields it never counted', () => {
    const item = JSON.parse('{"k":"r","x":5,"v":{"a":1,"b":2,"c":3}}') as RecordItem;
    const record = new StateRecord(item, 1000, 3, noAccess, 'k');
    expect(record.set('d', 4, 0)).toBe(false);
    expect(record.set('a', 9, 0)).toBe(true);
    record.delete('b', 0);
    expect(record.size).toBe(2);
    expect(record.set('d', 4, 0)).toBe(true);
    expect(record.set('e', 5, 0)).toBe(false);
    expect(record.fields()).toEqual(['a', 'c', 'd']);
  });

  it('counts an own "__proto__" field of a parsed item as Object.keys does', () => {
    const item = JSON.parse('{"k":"r","x":0,"v":{"__proto__":1,"a":2}}') as RecordItem;
    const record = new StateRecord(item, 1000, 2, noAccess, 'k');
    expect(record.size).toBe(2);
    expect(record.set('__proto__', 3, 0)).toBe(true);
    expect(record.fields()).toEqual(['__proto__', 'a']);
    record.delete('__proto__', 0);
    expect(record.fields()).toEqual(['a']);
    expect(record.size).toBe(1);
  });

  it('keeps the index out of the stored JSON, the byte budget and the merge', async () => {
    const store = new MemoryStateStore();
    const txn = await store.begin('b1', 0);
    const record = txn.view.record('r', { ttlMs: 1000 });
    record.set('a', 1, 0);
    record.set('b', { n: 2 }, 0);
    record.fieldNames();
    txn.view.distinct('d', { windowMs: 1000 }).add('m', 0);
    await txn.commit();
    const item = store.peek('r') as RecordItem;
    expect(JSON.stringify(item)).toBe('{"k":"r","x":1000,"v":{"a":1,"b":{"n":2}}}');
    expect(Object.getOwnPropertySymbols(item.v)).toEqual([]);
    expect(Object.getOwnPropertyNames(item.v)).toEqual(['a', 'b']);
    expect(store.sizeBytes).toBe('r'.length + JSON.stringify(item).length + 'd'.length + JSON.stringify(store.peek('d')).length);
    const loaded: StateItem = { k: 'r', x: 1000, v: { a: 1 } };
    expect(mergeItem({ k: 'r', x: 900, v: { a: 1, z: 0 } }, loaded, item)).toEqual({ k: 'r', x: 1000, v: { a: 1, z: 0, b: { n: 2 } } });
  });

  it('starts a fresh count for an item parsed again by the remote working set', () => {
    const ws = new WorkingSet();
    ws.setStored('r', '{"k":"r","x":0,"v":{"a":1,"b":2}}');
    const first = new StateRecord(ws.get('r') as RecordItem, 1000, 3, ws, 'r');
    expect(first.set('c', 3, 0)).toBe(true);
    expect(first.set('d', 4, 0)).toBe(false);
    ws.reset();
    const again = new StateRecord(ws.get('r') as RecordItem, 1000, 3, ws, 'r');
    expect(again.size).toBe(2);
    expect(again.set('d', 4, 0)).toBe(true);
    expect(again.fields()).toEqual(['a', 'b', 'd']);
  });
});

describe('DistinctSet key index', () => {
  /** DistinctSet.add as it was before the index. */
  function referenceAdd(item: DistinctItem, member: string, t: number, windowMs: number, cap: number): void {
    const members = item.m;
    const isNew = !(member in members);
    members[member] = Math.max(members[member] ?? 0, t);
    if (isNew) {
      const since = t - windowMs;
      const keys = Object.keys(members);
      if (keys.length > cap) {
        for (const k of keys) if ((members[k] ?? 0) <= since) delete members[k];
        const left = Object.keys(members);
        if (left.length > cap) {
          left.sort((a, b) => (members[a] ?? 0) - (members[b] ?? 0));
          for (const k of left.slice(0, left.length - cap)) delete members[k];
        }
      }
    }
    item.x = Math.max(item.x, t + windowMs);
  }

  it('prunes exactly as counting with Object.keys did, over random members', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const cap = 1 + Math.floor(next() * 5);
      const item: DistinctItem = { k: 'd', x: 0, m: {} };
      const reference: DistinctItem = { k: 'd', x: 0, m: {} };
      for (let t = 0; t < 400; t++) {
        const member = next() < 0.1 ? 'constructor' : `m${Math.floor(next() * 12)}`;
        new DistinctSet(item, 50, cap, noAccess, 'd').add(member, t);
        referenceAdd(reference, member, t, 50, cap);
        expect(JSON.stringify(item)).toBe(JSON.stringify(reference));
      }
    }
  });
});
