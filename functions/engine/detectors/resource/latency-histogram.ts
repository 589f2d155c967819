/**
 * A compact latency histogram for state: 20 log-scale bins plus the maximum, stored as a plain
 * number array (JSON, ~100 bytes). Quantiles are interpolated inside a bin and never exceed the
 * maximum; because 1 s and 5 s are bin edges, "p95 > 1 s" and "p95 > 5 s" are decided exactly.
 */

/** Upper bin edges in ms (bin i holds (edge[i-1], edge[i]]). Roughly ×1.5–2 per step. */
export const LATENCY_EDGES_MS: readonly number[] = [
  10,
  25,
  50,
  100,
  150,
  250,
  400,
  600,
  800,
  1000,
  1500,
  2000,
  3000,
  5000,
  7500,
  10_000,
  15_000,
  30_000,
  60_000,
  Infinity,
];
const BINS = LATENCY_EDGES_MS.length;
/** Index of the stored maximum, after the bin counts. */
const MAX_AT = BINS;

export type LatencyHistogram = number[];

export function emptyHistogram(): LatencyHistogram {
  return new Array<number>(BINS + 1).fill(0);
}

/** A stored value as a histogram, or undefined when it is not one (state from another version). */
export function asHistogram(value: unknown): LatencyHistogram | undefined {
  if (!Array.isArray(value) || value.length !== BINS + 1) return undefined;
  for (const n of value) if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  return value as LatencyHistogram;
}

export function binOf(ms: number): number {
  for (let i = 0; i < BINS - 1; i++) if (ms <= (LATENCY_EDGES_MS[i] as number)) return i;
  return BINS - 1;
}

export function addSample(h: LatencyHistogram, ms: number): void {
  const bin = binOf(ms);
  h[bin] = (h[bin] ?? 0) + 1;
  if (ms > (h[MAX_AT] ?? 0)) h[MAX_AT] = Math.ceil(ms * 10) / 10; // rounded up: the max must stay ≥ every sample
}

export function addHistogram(into: LatencyHistogram, from: LatencyHistogram): void {
  for (let i = 0; i < BINS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  into[MAX_AT] = Math.max(into[MAX_AT] ?? 0, from[MAX_AT] ?? 0);
}

export function sampleCount(h: LatencyHistogram): number {
  let n = 0;
  for (let i = 0; i < BINS; i++) n += h[i] ?? 0;
  return n;
}

export function maxOf(h: LatencyHistogram): number {
  return h[MAX_AT] ?? 0;
}

/**
 * The nearest-rank `q` quantile (0 < q ≤ 1), linearly interpolated inside its bin and capped at the
 * maximum seen. 0 for an empty histogram. The result lies in the same bin as the true quantile.
 */
export function quantile(h: LatencyHistogram, q: number): number {
  const n = sampleCount(h);
  if (n === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * n));
  const max = maxOf(h);
  let before = 0;
  for (let i = 0; i < BINS; i++) {
    const count = h[i] ?? 0;
    if (before + count >= rank) {
      const lo = i === 0 ? 0 : (LATENCY_EDGES_MS[i - 1] as number);
      const edge = LATENCY_EDGES_MS[i] as number;
      const hi = Number.isFinite(edge) ? Math.min(edge, Math.max(max, lo)) : Math.max(max, lo);
      return Math.min(lo + ((hi - lo) * (rank - before)) / count, Math.max(max, lo));
    }
    before += count;
  }
  return max;
}
