/** The time and duration readings the converters rely on. */
import { describe, expect, it } from 'vitest';
import { epochToMs, parseClfTime, parseDurationMs, timeOf } from '../../../functions/engine/events/time.js';

describe('timeOf', () => {
  it('keeps a canonical ISO string verbatim', () => {
    expect(timeOf('2026-11-24T11:00:00.789058+01:00')).toEqual({
      iso: '2026-11-24T11:00:00.789058+01:00',
      ts: Date.parse('2026-11-24T10:00:00.789Z'),
    });
  });

  it('converts other date-times (space, no zone = UTC) and epochs to ISO', () => {
    expect(timeOf('2026-11-24 10:00:00.5')).toEqual({
      iso: '2026-11-24T10:00:00.500Z',
      ts: Date.parse('2026-11-24T10:00:00.500Z'),
    });
    expect(timeOf('2026-11-24T10:00:00+0100')?.iso).toBe('2026-11-24T09:00:00.000Z');
    expect(timeOf(1795514400)?.iso).toBe('2026-11-24T10:00:00.000Z');
    expect(timeOf(1795514400123)?.iso).toBe('2026-11-24T10:00:00.123Z');
    expect(timeOf('1795514400123')?.iso).toBe('2026-11-24T10:00:00.123Z');
    expect(timeOf(1795514400123456)?.iso).toBe('2026-11-24T10:00:00.123Z');
  });

  it('refuses what is not a time', () => {
    for (const value of [
      'yesterday',
      '1',
      '',
      'x'.repeat(100),
      null,
      {},
      Number.NaN,
      1e300,
      '2026-13-01T00:00:00Z',
    ])
      expect(timeOf(value)).toBeUndefined();
  });

  it('reads epochs by magnitude', () => {
    expect([epochToMs(1.7e9), epochToMs(1.7e12), epochToMs(1.7e15), epochToMs(1.7e18)]).toEqual([
      1.7e12, 1.7e12, 1.7e12, 1.7e12,
    ]);
  });
});

describe('parseClfTime', () => {
  it('reads API Gateway request times with their offset', () => {
    expect(parseClfTime('24/Nov/2026:10:00:00 +0000')?.iso).toBe('2026-11-24T10:00:00.000Z');
    expect(parseClfTime('24/Nov/2026:11:30:00 +0130')?.iso).toBe('2026-11-24T10:00:00.000Z');
    expect(parseClfTime('24/Nov/2026:05:00:00 -0500')?.iso).toBe('2026-11-24T10:00:00.000Z');
  });

  it('refuses malformed ones', () => {
    for (const value of [
      '24/Foo/2026:10:00:00 +0000',
      '24/Nov/2026 10:00:00 +0000',
      '24/Nov/2026:10:00:00',
      '99/Nov/2026:10:00:00 +0000',
      '-',
    ]) {
      expect(parseClfTime(value)).toBeUndefined();
    }
  });
});

describe('parseDurationMs', () => {
  it('reads numbers as milliseconds and strings with units', () => {
    expect([
      parseDurationMs(12.5),
      parseDurationMs('4ms'),
      parseDurationMs('1.5s'),
      parseDurationMs('250us'),
      parseDurationMs('250µs'),
      parseDurationMs('2m'),
      parseDurationMs('7'),
    ]).toEqual([12.5, 4, 1500, 0.25, 0.25, 120_000, 7]);
  });

  it('refuses negative or unreadable durations', () => {
    for (const value of [-1, 'ms', '4 parsecs', 'fast', '', null, Number.POSITIVE_INFINITY])
      expect(parseDurationMs(value)).toBeUndefined();
  });
});
