/**
 * detectors/threshold.ts: the counting step the filter-and-count detectors share. Real state
 * primitives (ItemStateView over a map), event time only.
 */
import { describe, expect, it } from 'vitest';
import { CountThreshold, DistinctThreshold, MemberCountThreshold } from '../../../functions/engine/detectors/threshold.js';
import type { StateItem } from '../../../functions/engine/state/items.js';
import { ItemStateView, type StateView } from '../../../functions/engine/state/view.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const MINUTE = 60_000;

function stateView(): { view: StateView; items: Map<string, StateItem> } {
  const items = new Map<string, StateItem>();
  const view = new ItemStateView({ get: (k) => items.get(k), put: (k, item) => void items.set(k, item), touched: () => undefined });
  return { view, items };
}

/** What `count` returned for events at the given offsets (ms after T0), all under one key. */
function counts(threshold: CountThreshold, view: StateView, offsets: readonly number[], key = 'K'): number[] {
  return offsets.map((dt) => threshold.count(view, key, T0 + dt));
}

describe('CountThreshold', () => {
  it("'every': silent at threshold - 1, reports at the threshold and at every count above it", () => {
    const { view } = stateView();
    const t = new CountThreshold({ threshold: 3, windowMs: MINUTE, report: 'every' });
    expect(counts(t, view, [0, 1000, 2000, 3000, 4000])).toEqual([-1, -1, 3, 4, 5]);
    expect(t.threshold).toBe(3);
  });

  it("'crossing': only the event that reaches the threshold reports (the rest of the burst is the same incident)", () => {
    const { view } = stateView();
    const t = new CountThreshold({ threshold: 3, windowMs: MINUTE, report: 'crossing' });
    expect(counts(t, view, [0, 1000, 2000, 3000, 4000, 5000])).toEqual([-1, -1, 3, -1, -1, -1]);
  });

  it('forgets events older than the window: a burst spread over more than the window stays silent, a new burst reports again', () => {
    const { view } = stateView();
    const t = new CountThreshold({ threshold: 3, windowMs: MINUTE, bucketMs: 1000, report: 'crossing' });
    // Two events, then the third only after the first two have left the window.
    expect(counts(t, view, [0, 1000, 62_000])).toEqual([-1, -1, -1]);
    // Two more inside the window of the third: 3 in the window → the crossing of a new burst.
    expect(counts(t, view, [63_000, 64_000])).toEqual([-1, 3]);
    // Long after: the window is empty again, the next burst crosses again.
    expect(counts(t, view, [10 * MINUTE, 10 * MINUTE + 1, 10 * MINUTE + 2])).toEqual([-1, -1, 3]);
  });

  it('counts each key on its own, under exactly the key it is given', () => {
    const { view, items } = stateView();
    const t = new CountThreshold({ threshold: 2, windowMs: MINUTE, report: 'every' });
    expect(t.count(view, 'DET|srv|ip|203.0.113.7', T0)).toBe(-1);
    expect(t.count(view, 'DET|srv|ip|198.51.100.1', T0)).toBe(-1);
    expect(t.count(view, 'DET|srv|ip|203.0.113.7', T0 + 1)).toBe(2);
    expect([...items.keys()]).toEqual(['DET|srv|ip|203.0.113.7', 'DET|srv|ip|198.51.100.1']);
    expect(items.get('DET|srv|ip|203.0.113.7')?.k).toBe('c');
  });

  it('a weighted event that jumps over the threshold crosses it once', () => {
    const { view } = stateView();
    const t = new CountThreshold({ threshold: 5, windowMs: MINUTE, report: 'crossing' });
    expect(t.count(view, 'K', T0, 2)).toBe(-1);
    expect(t.count(view, 'K', T0 + 1, 4)).toBe(6);
    expect(t.count(view, 'K', T0 + 2, 1)).toBe(-1);
  });

  it('uses the state view\'s default buckets unless given bucketMs (the same items detectors wrote before)', () => {
    const a = stateView();
    const b = stateView();
    new CountThreshold({ threshold: 9, windowMs: 300_000, report: 'every' }).count(a.view, 'K', T0);
    a.view.counter('L', { windowMs: 300_000 }).add(T0);
    expect(a.items.get('K')).toEqual(a.items.get('L'));
    new CountThreshold({ threshold: 9, windowMs: 3_600_000, bucketMs: 60_000, report: 'every' }).count(b.view, 'K', T0, 2);
    b.view.counter('L', { windowMs: 3_600_000, bucketMs: 60_000 }).add(T0, 2);
    expect(b.items.get('K')).toEqual(b.items.get('L'));
  });
});

describe('MemberCountThreshold', () => {
  it('counts members of one owner apart, in one item, and reports the crossing of each', () => {
    const { view, items } = stateView();
    const t = new MemberCountThreshold({ threshold: 3, windowMs: MINUTE, cap: 8, report: 'crossing' });
    const seq = [1, 1, 2, 1, 2, 1, 2].map((member, i) => t.count(view, 'owner', member, T0 + i * 1000));
    expect(seq).toEqual([-1, -1, -1, 3, -1, -1, 3]);
    expect([...items.keys()]).toEqual(['owner']);
    expect(items.get('owner')?.k).toBe('m');
  });

  it('forgets repeats older than the window', () => {
    const { view } = stateView();
    const t = new MemberCountThreshold({ threshold: 2, windowMs: MINUTE, bucketMs: 1000, cap: 8, report: 'crossing' });
    expect(t.count(view, 'owner', 7, T0)).toBe(-1);
    expect(t.count(view, 'owner', 7, T0 + 2 * MINUTE)).toBe(-1);
    expect(t.count(view, 'owner', 7, T0 + 2 * MINUTE + 1)).toBe(2);
  });
});

describe('DistinctThreshold', () => {
  it("'crossing': values seen again do not count; the new value that reaches the threshold reports once", () => {
    const { view } = stateView();
    const t = new DistinctThreshold({ threshold: 3, windowMs: MINUTE, cap: 16, report: 'crossing' });
    const seq = ['a', 'b', 'a', 'b', 'c', 'c', 'd'].map((v, i) => t.add(view, 'K', v, T0 + i));
    expect(seq).toEqual([-1, -1, -1, -1, 3, -1, -1]);
    expect(t.members(view, 'K', T0 + 10).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it("'crossing' with several values in one event: reports the count after all of them when one reached the threshold", () => {
    const { view } = stateView();
    const t = new DistinctThreshold({ threshold: 3, windowMs: MINUTE, cap: 16, report: 'crossing' });
    expect(t.add(view, 'K', ['a', 'b'], T0)).toBe(-1);
    expect(t.add(view, 'K', ['a', 'c', 'd', 'e'], T0 + 1)).toBe(5);
    expect(t.add(view, 'K', ['f'], T0 + 2)).toBe(-1);
  });

  it("'every': reports whenever the window holds at least the threshold, a repeated value included", () => {
    const { view } = stateView();
    const t = new DistinctThreshold({ threshold: 2, windowMs: MINUTE, cap: 16, report: 'every' });
    expect(['x', 'x', 'y', 'x'].map((v, i) => t.add(view, 'K', v, T0 + i))).toEqual([-1, -1, 2, 2]);
  });

  it('forgets values older than the window', () => {
    const { view } = stateView();
    const t = new DistinctThreshold({ threshold: 2, windowMs: MINUTE, cap: 16, report: 'crossing' });
    expect(t.add(view, 'K', 'a', T0)).toBe(-1);
    expect(t.add(view, 'K', 'b', T0 + MINUTE + 1)).toBe(-1);
    expect(t.add(view, 'K', 'a', T0 + MINUTE + 2)).toBe(2);
  });
});
