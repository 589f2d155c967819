/**
 * D3: a warm ingest handler fed payloads of ever-new keys (servers, tools, sessions, principals,
 * some names 8 KB long) ran out of memory: module-level key caches were capped by count, not size.
 * A child process with a small heap runs 900 such payloads through one handler (in-memory state
 * capped small, so what is left is cache growth) and reports the live heap after a full GC; the
 * last third of the curve must sit within a few MB of the first third. Not timed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./support/memory-child.ts', import.meta.url));
const PAYLOADS = 900;
const EVENTS_PER_PAYLOAD = 4;
const LONG_NAME_CHARS = 8000;
const HEAP_MB = 96;
/** Allowed rise of the mean live heap from the first to the last third of the run. */
const MAX_RISE_MB = 4;

describe('bounded memory (D3)', () => {
  it(`live heap stays flat over ${PAYLOADS} payloads of new keys in a ${HEAP_MB} MB heap`, () => {
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', `--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', CHILD, String(PAYLOADS), String(EVENTS_PER_PAYLOAD), String(LONG_NAME_CHARS)],
      { encoding: 'utf8', timeout: 170_000 },
    );
    expect({ status: run.status, stderr: run.stderr.slice(-2000) }).toEqual({ status: 0, stderr: expect.any(String) });
    const { samples } = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { samples: Array<{ payload: number; heapMB: number }> };
    const third = Math.floor(samples.length / 3);
    const mean = (xs: typeof samples) => xs.reduce((n, s) => n + s.heapMB, 0) / xs.length;
    const first = mean(samples.slice(0, third));
    const last = mean(samples.slice(-third));
    // The curve, for the report when it fails.
    expect({ first: Math.round(first), last: Math.round(last), curve: samples.map((s) => s.heapMB) }).toEqual({
      first: expect.any(Number),
      last: expect.any(Number),
      curve: expect.any(Array),
    });
    expect(last - first, `live heap ${first.toFixed(1)} MB → ${last.toFixed(1)} MB: ${samples.map((s) => s.heapMB).join(' ')}`).toBeLessThanOrEqual(MAX_RISE_MB);
  }, 180_000);
});
