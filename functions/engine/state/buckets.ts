/**
 * Sliding-window counts kept as flat bucket pairs `[bucketIndex, count, …]` in ascending bucket
 * order (bucketIndex = floor(t / bucketMs)): the body of WindowCounter and of each CounterMap
 * member. A bucket straddling the window edge counts fully, so the window is at most one bucket
 * longer than configured — never shorter.
 */

/** Adds `n` at time `t`, dropping buckets that fell out of the window when a new bucket starts. */
export function addToBuckets(b: number[], t: number, n: number, windowMs: number, bucketMs: number): void {
  const bucket = Math.floor(t / bucketMs);
  const last = b.length - 2;
  if (last >= 0 && b[last] === bucket) {
    b[last + 1] = (b[last + 1] as number) + n;
  } else if (last < 0 || (b[last] as number) < bucket) {
    // A new bucket is the only moment old ones can have fallen out of the window.
    const oldest = Math.floor((t - windowMs) / bucketMs);
    let drop = 0;
    while (drop < b.length && (b[drop] as number) < oldest) drop += 2;
    if (drop > 0) b.splice(0, drop);
    b.push(bucket, n);
  } else {
    // An event older than the newest bucket (log streams interleave out of order).
    let i = 0;
    while (i < b.length && (b[i] as number) < bucket) i += 2;
    if (b[i] === bucket) b[i + 1] = (b[i + 1] as number) + n;
    else b.splice(i, 0, bucket, n);
  }
}

/** Count in the window ending at `t`. */
export function bucketsTotal(b: readonly number[], t: number, windowMs: number, bucketMs: number): number {
  const oldest = Math.floor((t - windowMs) / bucketMs);
  const newest = Math.floor(t / bucketMs);
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) {
    const idx = b[i] as number;
    if (idx >= oldest && idx <= newest) sum += b[i + 1] as number;
  }
  return sum;
}

/** Count of the bucket containing `t`. */
export function bucketCountAt(b: readonly number[], t: number, bucketMs: number): number {
  const bucket = Math.floor(t / bucketMs);
  for (let i = b.length - 2; i >= 0; i -= 2) if (b[i] === bucket) return b[i + 1] as number;
  return 0;
}

/** Flat pairs → bucket → count. */
export function pairsToMap(pairs: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i + 1 < pairs.length; i += 2) out.set(pairs[i] as number, pairs[i + 1] as number);
  return out;
}

/** Three-way merge of bucket pairs: current + (next − loaded), ascending. */
export function mergeBuckets(
  current: readonly number[],
  loaded: readonly number[] | undefined,
  next: readonly number[],
): number[] {
  const counts = pairsToMap(current);
  const base = loaded !== undefined ? pairsToMap(loaded) : new Map<number, number>();
  for (const [bucket, count] of pairsToMap(next)) {
    const delta = count - (base.get(bucket) ?? 0);
    if (delta !== 0) counts.set(bucket, (counts.get(bucket) ?? 0) + delta);
  }
  const b: number[] = [];
  for (const bucket of [...counts.keys()].sort((p, q) => p - q)) b.push(bucket, counts.get(bucket) as number);
  return b;
}
