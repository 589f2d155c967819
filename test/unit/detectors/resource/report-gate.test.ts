import { describe, expect, it } from 'vitest';
import { passGate } from '../../../../functions/engine/detectors/resource/report-gate.js';
import { MemoryStateStore } from '../../../../functions/engine/state/memory-store.js';

const MIN = 60_000;

async function gateRecord() {
  const store = new MemoryStateStore();
  const txn = await store.begin('b1', 0);
  return txn.view.record('TEST|srv|gate|x', { ttlMs: 60 * MIN });
}

describe('passGate', () => {
  it('reports on entry, on a rise, and again only after the repeat interval', async () => {
    const record = await gateRecord();
    const seen = [
      passGate(record, 'g', 1, 0, 5 * MIN), // enters at 1
      passGate(record, 'g', 1, 1 * MIN, 5 * MIN), // same level, too soon
      passGate(record, 'g', 2, 2 * MIN, 5 * MIN), // rises
      passGate(record, 'g', 1, 3 * MIN, 5 * MIN), // falls but not clear
      passGate(record, 'g', 2, 4 * MIN, 5 * MIN), // back up to the level already reported: flapping
      passGate(record, 'g', 2, 6 * MIN, 5 * MIN), // 4 min after the last report
      passGate(record, 'g', 1, 7 * MIN, 5 * MIN), // 5 min after, at a lower level: reports the current level
      passGate(record, 'g', 2, 8 * MIN, 5 * MIN), // rises above what was last reported
    ];
    expect(seen).toEqual([true, false, true, false, false, false, true, true]);
  });

  it('re-arms once the condition clears, even inside the repeat interval', async () => {
    const record = await gateRecord();
    expect(passGate(record, 'g', 1, 0, 5 * MIN)).toBe(true);
    expect(passGate(record, 'g', 0, 1 * MIN, 5 * MIN)).toBe(false);
    expect(record.has('g')).toBe(false);
    expect(passGate(record, 'g', 1, 2 * MIN, 5 * MIN)).toBe(true);
  });

  it('treats a malformed stored value as no previous report', async () => {
    const record = await gateRecord();
    record.set('g', 'garbage', 0);
    expect(passGate(record, 'g', 1, 0, 5 * MIN)).toBe(true);
    expect(record.get('g')).toEqual([1, 0]);
  });
});
