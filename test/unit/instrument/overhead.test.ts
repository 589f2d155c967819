/**
 * The overhead benchmark's contract (the lead's `npm run bench` calls it): a consistent report for
 * the number of calls asked. Timing itself is machine-dependent and is not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { measureInstrumentOverhead } from '../../../bench/instrument-overhead.js';

describe('measureInstrumentOverhead', () => {
  it('reports per-call times of both servers and their difference and ratio', async () => {
    const report = await measureInstrumentOverhead({ calls: 200 });
    expect(report.calls).toBe(200);
    expect(report.baselineMsPerCall).toBeGreaterThan(0);
    expect(report.instrumentedMsPerCall).toBeGreaterThan(0);
    expect(report.overheadUsPerCall).toBeCloseTo(
      (report.instrumentedMsPerCall - report.baselineMsPerCall) * 1000,
      6,
    );
    expect(report.ratio).toBeCloseTo(report.instrumentedMsPerCall / report.baselineMsPerCall, 9);
  });
});
