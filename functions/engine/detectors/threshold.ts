/**
 * The threshold step of the filter-and-count detectors (brute force, refusal bursts, enumeration,
 * loops, floods, bulk reads …): the detector decides which events count and under which key; a
 * threshold built here once in `prepare` counts them in a sliding window and says when the count
 * reports. Counting, windows and the firing rule are the platform's, so every such rule counts
 * the same way; what a finding says (title, subject, evidence) stays the detector's.
 *
 * Two firing rules:
 * - `every`: each counted event at or above the threshold reports; the alert stage folds the
 *   repeats of one subject into one alert (`dedupSeconds`). Use it when a later event may carry
 *   new context worth keeping in the finding list (brute force, floods).
 * - `crossing`: only the event that takes the count to the threshold reports — later events of
 *   the same burst are the same incident and cost nothing downstream.
 *
 * "More than N" (a setting described as a limit that may be reached) is a threshold of N + 1.
 * The state items and their keys are exactly those the detectors wrote before this helper existed:
 * a window counter, a counter map member, or a distinct set under the detector's key.
 */
import type { CounterMapOptions, CounterOptions, DistinctOptions, StateView } from '../state/view.js';

export type ThresholdReport = 'every' | 'crossing';

export interface ThresholdSpec {
  /** The count at which the rule reports. */
  readonly threshold: number;
  readonly windowMs: number;
  /** Which events at or above the threshold report (see the file comment). */
  readonly report: ThresholdReport;
}

export interface CountThresholdSpec extends ThresholdSpec {
  /** Counter bucket length. @default the state view's (windowMs / 10, at least 1 s) */
  readonly bucketMs?: number;
}

/** Whether a count that just grew by `added` to `count` reports under `spec`. */
function reports(spec: ThresholdSpec, count: number, added: number): boolean {
  if (count < spec.threshold) return false;
  return spec.report === 'every' || count - added < spec.threshold;
}

/** Events per key in a sliding window (a window counter item per key). */
export class CountThreshold {
  readonly threshold: number;
  private readonly options: CounterOptions;

  constructor(private readonly spec: CountThresholdSpec) {
    this.threshold = spec.threshold;
    this.options = spec.bucketMs !== undefined ? { windowMs: spec.windowMs, bucketMs: spec.bucketMs } : { windowMs: spec.windowMs };
  }

  /**
   * Counts `weight` events at `ts` under `key`. Returns the count in the window when it reports,
   * otherwise -1.
   */
  count(state: StateView, key: string, ts: number, weight = 1): number {
    const counter = state.counter(key, this.options);
    counter.add(ts, weight);
    const total = counter.total(ts);
    return reports(this.spec, total, weight) ? total : -1;
  }
}

export interface MemberThresholdSpec extends CountThresholdSpec {
  /** Most members kept under one key; past it the least recently counted is dropped. */
  readonly cap: number;
}

/**
 * Events per member of one owner in a sliding window: many small counters under one item (the
 * identical calls of one session), so an owner costs one item, not one per member.
 */
export class MemberCountThreshold {
  readonly threshold: number;
  private readonly options: CounterMapOptions;

  constructor(private readonly spec: MemberThresholdSpec) {
    this.threshold = spec.threshold;
    this.options =
      spec.bucketMs !== undefined
        ? { windowMs: spec.windowMs, bucketMs: spec.bucketMs, cap: spec.cap }
        : { windowMs: spec.windowMs, cap: spec.cap };
  }

  /** Counts one event of `member` (an integer id, e.g. 52 bits of a digest) at `ts` under `key`; the member's count when it reports, otherwise -1. */
  count(state: StateView, key: string, member: number, ts: number): number {
    const counters = state.counters(key, this.options);
    counters.add(member, ts);
    const total = counters.total(member, ts);
    return reports(this.spec, total, 1) ? total : -1;
  }
}

export interface DistinctThresholdSpec extends ThresholdSpec {
  /** Most members kept; keep it above the threshold so the crossing is seen once. */
  readonly cap: number;
}

/**
 * Distinct values per key in a sliding window (a distinct set item per key). With `crossing`, the
 * count reports when a value new to the window takes it to the threshold (a value seen again only
 * refreshes its time); with `every`, whenever it is at or above the threshold after the values
 * were added.
 */
export class DistinctThreshold {
  readonly threshold: number;
  private readonly options: DistinctOptions;

  constructor(private readonly spec: DistinctThresholdSpec) {
    this.threshold = spec.threshold;
    this.options = { windowMs: spec.windowMs, cap: spec.cap };
  }

  /** Adds `values` at `ts` under `key`; the distinct count when it reports, otherwise -1. */
  add(state: StateView, key: string, values: string | readonly string[], ts: number): number {
    const set = state.distinct(key, this.options);
    if (typeof values === 'string') values = [values];
    if (this.spec.report === 'every') {
      for (const value of values) set.add(value, ts);
      const count = set.count(ts);
      return count >= this.spec.threshold ? count : -1;
    }
    let crossed = false;
    let count = 0;
    for (const value of values) {
      const isNew = !set.has(value, ts);
      set.add(value, ts);
      if (!isNew) continue;
      count = set.count(ts);
      if (count === this.spec.threshold) crossed = true;
    }
    return crossed ? count : -1;
  }

  /** The values in the window under `key` (for evidence, once a count reported). */
  members(state: StateView, key: string, ts: number): string[] {
    return state.distinct(key, this.options).members(ts);
  }
}
