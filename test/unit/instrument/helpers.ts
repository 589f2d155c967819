/**
 * Shared test plumbing: a line sink that validates every line against the v1 contract
 * (the engine's McpEventSchema), a controllable clock and a polling wait.
 */
import { createHash } from 'node:crypto';
import { McpEventSchema } from '../../../functions/engine/events/schema.js';

export type EventRecord = Record<string, unknown> & { event: string };

export interface LineSink {
  lines: string[];
  write: (line: string) => void;
  /** Every line parsed; throws if a line is not one valid v1 event. */
  events(): EventRecord[];
  ofKind(kind: string): EventRecord[];
}

export function lineSink(): LineSink {
  const lines: string[] = [];
  const events = (): EventRecord[] =>
    lines.map((line) => {
      if (line.includes('\n')) throw new Error(`event line contains a newline: ${line}`);
      const parsed = JSON.parse(line) as unknown;
      McpEventSchema.parse(parsed);
      return parsed as EventRecord;
    });
  return {
    lines,
    write: (line) => {
      lines.push(line);
    },
    events,
    ofKind: (kind) => events().filter((event) => event.event === kind),
  };
}

export const T0 = Date.parse('2026-11-24T10:00:00.000Z');

/** A clock the test moves by hand; `instrument({ now })` uses it for `time` and `durationMs`. */
export function manualClock(start = T0): {
  now: () => number;
  advance: (ms: number) => void;
  iso: (offsetMs?: number) => string;
} {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    iso: (offsetMs = 0) => new Date(start + offsetMs).toISOString(),
  };
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Computed independently of the implementation: first 16 hex chars of SHA-256. */
export function expectedFp(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
