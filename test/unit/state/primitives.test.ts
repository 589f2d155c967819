import { describe, expect, it } from 'vitest';
import { mergeItem } from '../../../functions/engine/state/merge.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { ItemStateView } from '../../../functions/engine/state/view.js';
import { WorkingSet } from '../../../functions/engine/state/working-set.js';
import type { CounterItem, StateItem } from '../../../functions/engine/state/items.js';

const MIN = 60_000;

async function memoryView(now = 0) {
  const store = new MemoryStateStore();
  const txn = await store.begin('b1', now);
  return { store, txn, view: txn.view };
}

describe('WindowCounter', () => {
  it('counts inside the sliding window and forgets old buckets', async () => {
    const { view, store } = await memoryView();
    const counter = view.counter('k', { windowMs: 5 * MIN, bucketMs: MIN });
    counter.add(0);
    counter.add(MIN);
    counter.add(2 * MIN, 3);
    expect(counter.total(2 * MIN)).toBe(5);
    // At 6.5 min the bucket of t=0 is outside (6.5 - 5 = 1.5 → oldest bucket index 1).
    expect(counter.total(6.5 * MIN)).toBe(4);
    counter.add(20 * MIN);
    expect(counter.total(20 * MIN)).toBe(1);
    expect((store.peek('k') as CounterItem).b).toEqual([20, 1]);
  });

  it('counts late (out-of-order) events into their own bucket', async () => {
    const { view, store } = await memoryView();
    const counter = view.counter('k', { windowMs: 5 * MIN, bucketMs: MIN });
    counter.add(3 * MIN);
    counter.add(MIN);
    counter.add(3 * MIN);
    counter.add(2 * MIN);
    expect((store.peek('k') as CounterItem).b).toEqual([1, 1, 2, 1, 3, 2]);
    expect(counter.bucketCount(MIN)).toBe(1);
    expect(counter.total(3 * MIN)).toBe(4);
  });

  it('sets expiry from event time', async () => {
    const { view, store } = await memoryView();
    view.counter('k', { windowMs: MIN }).add(1000);
    expect(store.peek('k')?.x).toBe(1000 + MIN);
  });
});

describe('DistinctSet', () => {
  it('counts members seen in the window and stays within its cap', async () => {
    const { view } = await memoryView();
    const set = view.distinct('d', { windowMs: MIN, cap: 3 });
    set.add('a', 0);
    set.add('b', 1000);
    set.add('a', 2000);
    expect(set.count(2000)).toBe(2);
    set.add('c', 3000);
    set.add('d', 4000);
    expect(set.members(4000).sort()).toEqual(['a', 'c', 'd']);
    expect(set.count(MIN + 2500)).toBe(2);
    expect(set.has('a', MIN + 1000)).toBe(true);
    expect(set.has('a', MIN + 2000)).toBe(false);
  });
});

describe('Baseline', () => {
  it('tracks an exponentially weighted mean and deviation', async () => {
    const { view } = await memoryView();
    const b = view.baseline('e', { ttlMs: MIN });
    for (let i = 0; i < 50; i++) b.observe(10, i, 0.2);
    expect(b.mean).toBeCloseTo(10, 6);
    expect(b.stddev).toBeCloseTo(0, 6);
    b.observe(20, 51, 0.2);
    expect(b.mean).toBeCloseTo(12, 6);
    expect(b.count).toBe(51);
    expect(b.lastAt).toBe(51);
  });
});

describe('StateRecord', () => {
  it('refuses new fields past its bound but updates existing ones', async () => {
    const { view } = await memoryView();
    const r = view.record('r', { ttlMs: MIN, maxFields: 2 });
    expect(r.set('a', 1, 0)).toBe(true);
    expect(r.set('b', 2, 0)).toBe(true);
    expect(r.set('c', 3, 0)).toBe(false);
    expect(r.set('a', 5, 0)).toBe(true);
    expect(r.get('a')).toBe(5);
    expect(r.fields()).toEqual(['a', 'b']);
  });
});

describe('MemoryStateStore', () => {
  it('enforces its cap least-recently-used first: a key touched in every batch survives', async () => {
    const store = new MemoryStateStore({ maxItems: 1000 });
    for (let batch = 0; batch < 3; batch++) {
      const txn = await store.begin(`b${batch}`, batch);
      txn.view.counter('registry', { windowMs: MIN }).add(batch);
      for (let i = 0; i < 600; i++) txn.view.counter(`k${batch}-${i}`, { windowMs: MIN }).add(batch);
      await txn.commit();
    }
    // Recency is per batch: after the third, k0-* and the first 201 of k1-* are the least recent.
    expect(store.size).toBe(1000);
    expect(store.peek('registry')).toBeDefined(); // created first: oldest-created eviction would drop it
    expect(store.peek('k0-599')).toBeUndefined();
    expect(store.peek('k1-200')).toBeUndefined();
    expect(store.peek('k1-201')).toBeDefined();
    expect(store.peek('k2-0')).toBeDefined();
  });

  it('enforces its cap within one batch oldest-first', async () => {
    const store = new MemoryStateStore({ maxItems: 1000 });
    const txn = await store.begin('b1', 0);
    for (let i = 0; i < 3000; i++) txn.view.counter(`k${i}`, { windowMs: MIN }).add(i);
    await txn.commit();
    expect(store.size).toBe(1000);
    expect(store.peek('k0')).toBeUndefined();
    expect(store.peek('k2999')).toBeDefined();
  });

  it('enforces its byte budget least-recently-used first', async () => {
    const store = new MemoryStateStore({ maxBytes: 20_000 });
    let txn = await store.begin('b1', 0);
    for (let i = 0; i < 200; i++)
      txn.view.record(`r${i}`, { ttlMs: MIN, maxFields: 64 }).set('note', 'x'.repeat(200), 0);
    await txn.commit();
    expect(store.sizeBytes).toBeLessThanOrEqual(20_000);
    expect(store.size).toBeGreaterThan(50);
    expect(store.size).toBeLessThan(100);
    expect(store.peek('r0')).toBeUndefined();
    expect(store.peek('r199')).toBeDefined();
    // Growth of a kept item is measured within a few batches (changed items are re-measured on a rotation).
    const kept = store.size;
    for (let batch = 2; batch < 10; batch++) {
      txn = await store.begin(`b${batch}`, batch);
      txn.view.record('r199', { ttlMs: MIN, maxFields: 64 }).set('more', 'y'.repeat(5000 + batch), batch);
      await txn.commit();
    }
    expect(store.sizeBytes).toBeLessThanOrEqual(20_000);
    expect(store.size).toBeLessThan(kept - 20);
    expect(store.peek('r199')).toBeDefined();
  });

  it('sweeps items expired (by event time, after a grace period) as the store grows', async () => {
    const store = new MemoryStateStore();
    let txn = await store.begin('b1', 0);
    for (let i = 0; i < 3000; i++) txn.view.counter(`old${i}`, { windowMs: MIN }).add(i);
    await txn.commit();
    txn = await store.begin('b2', 30 * MIN);
    for (let i = 0; i < 2000; i++) txn.view.counter(`new${i}`, { windowMs: MIN }).add(30 * MIN);
    await txn.commit();
    expect(store.size).toBe(2000);
    expect(store.peek('old0')).toBeUndefined();
  });

  it('reports writes as the number of distinct touched keys', async () => {
    const store = new MemoryStateStore();
    const txn = await store.begin('b', 0);
    for (let i = 0; i < 100; i++) txn.view.counter(`k${i % 7}`, { windowMs: MIN }).add(i);
    expect((await txn.commit()).writes).toBe(7);
  });
});

describe('WorkingSet (remote stores)', () => {
  it('reports unloaded keys, then serves stored values after load and reset', () => {
    const ws = new WorkingSet();
    const view = new ItemStateView(ws);
    view.counter('a', { windowMs: MIN, bucketMs: MIN }).add(0);
    expect(ws.unloadedKeys()).toEqual(['a']);
    const stored: CounterItem = { k: 'c', x: MIN, b: [0, 4] };
    ws.setStored('a', JSON.stringify(stored));
    ws.reset();
    const counter = view.counter('a', { windowMs: MIN, bucketMs: MIN });
    expect(counter.total(0)).toBe(4);
    counter.add(0);
    expect(ws.unloadedKeys()).toEqual([]);
    const [change] = ws.changes();
    expect(change?.loaded).toEqual(stored);
    expect((change?.next as CounterItem).b).toEqual([0, 5]);
  });

  it('a key stored as absent is not reported again', () => {
    const ws = new WorkingSet();
    ws.setStored('x', null);
    const view = new ItemStateView(ws);
    expect(view.exists('x')).toBe(false);
    expect(ws.unloadedKeys()).toEqual([]);
  });
});

describe('mergeItem', () => {
  it('adds a batch delta to a concurrently changed counter', () => {
    const loaded: StateItem = { k: 'c', x: 10, b: [1, 2] };
    const next: StateItem = { k: 'c', x: 20, b: [1, 3, 2, 1] };
    const current: StateItem = { k: 'c', x: 15, b: [1, 5] };
    expect(mergeItem(current, loaded, next)).toEqual({ k: 'c', x: 20, b: [1, 6, 2, 1] });
  });

  it('merges list fields of records per entry, other fields per field', () => {
    const loaded: StateItem = { k: 'r', x: 10, v: { '[]reads': [{ t: 1 }], pair: [1, 1] } };
    // A concurrent batch added read t:2 and changed the pair; this batch dropped t:1, added t:3.
    const current: StateItem = { k: 'r', x: 12, v: { '[]reads': [{ t: 1 }, { t: 2 }], pair: [2, 5] } };
    const next: StateItem = { k: 'r', x: 13, v: { '[]reads': [{ t: 3 }], pair: [3, 6] } };
    expect(mergeItem(current, loaded, next)).toEqual({
      k: 'r',
      x: 13,
      v: { '[]reads': [{ t: 2 }, { t: 3 }], pair: [3, 6] },
    });
    // Without a loaded item (first write raced): both sides' entries, once each.
    expect(mergeItem(current, undefined, { k: 'r', x: 13, v: { '[]reads': [{ t: 2 }, { t: 4 }] } })).toEqual({
      k: 'r',
      x: 13,
      v: { '[]reads': [{ t: 1 }, { t: 2 }, { t: 4 }], pair: [2, 5] },
    });
  });

  it('unions distinct sets and keeps latest times', () => {
    const merged = mergeItem({ k: 'd', x: 1, m: { a: 5, b: 1 } }, undefined, {
      k: 'd',
      x: 2,
      m: { a: 3, c: 4 },
    });
    expect(merged).toEqual({ k: 'd', x: 2, m: { a: 5, b: 1, c: 4 } });
  });

  it('applies only the fields a batch changed to a record', () => {
    const loaded: StateItem = { k: 'r', x: 0, v: { a: 1, b: 1 } };
    const next: StateItem = { k: 'r', x: 0, v: { a: 2, b: 1 } };
    const current: StateItem = { k: 'r', x: 0, v: { a: 1, b: 9, c: 3 } };
    expect(mergeItem(current, loaded, next)).toEqual({ k: 'r', x: 0, v: { a: 2, b: 9, c: 3 } });
  });
});
