/**
 * `watch <file|->`: follow a growing log file (like `tail -f`, surviving truncation and rotation)
 * or stdin, and print each alert the moment its batch is processed. Ends on Ctrl-C (or EOF for
 * stdin) with the summary.
 */
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import type { RawLogRecord } from '../../engine/events/normalize.js';
import { AlertCollector } from '../alert-collector.js';
import type { DetectionOptions } from '../common-options.js';
import { loadCliEngine } from '../engine-loader.js';
import { writeLine, type CliIo } from '../io.js';
import { formatInputStats, formatSummary } from '../output/text-report.js';
import { createStateStore } from '../runtime.js';
import { DetectionSession } from '../session.js';
import { UsageError } from '../usage-error.js';
import { detectionExitCode } from '../exit-status.js';
import { alertPrinter, findingTarget, textStyle } from '../output/alert-printer.js';
import { isFindingFormat } from '../output/finding-lines.js';

export interface WatchControl {
  /** Stops following (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Wall clock for scheduled detectors (telemetry gaps). @default Date.now */
  readonly now?: () => number;
  /** How often a file is checked for new lines. @default 250 ms */
  readonly pollMs?: number;
  /** Start at the end of the file instead of its beginning. */
  readonly fromEnd?: boolean;
}

const TICK_EVERY_MS = 60_000;
/** Longest partial line carried between reads of a followed file. */
const MAX_CARRIED_LINE_CHARS = 16 * 1024 * 1024;

export async function watch(target: string, options: DetectionOptions, io: CliIo, control: WatchControl = {}): Promise<number> {
  const { engine } = loadCliEngine(options);
  const store = await createStateStore(options);
  const style = textStyle(io);
  const where = findingTarget(options);
  const print = alertPrinter(options.output, io, where);
  // Findings formats also print lifecycle events (updates, resolutions) as they happen.
  const collector = new AlertCollector(print, isFindingFormat(options.output) ? print : undefined);
  const session = new DetectionSession(engine, store, collector, options.format, where, isFindingFormat(options.output));
  const now = control.now ?? Date.now;
  let lastTick = now();
  let lineNo = 0;
  const source = target === '-' ? 'stdin' : target;

  const feed = async (lines: string[]): Promise<void> => {
    if (lines.length === 0) return;
    // Followed live: a line's arrival is its ingest time (the fallback for lines without a time).
    const arrived = now();
    const records: RawLogRecord[] = lines.filter((l) => l.length > 0).map((message) => ({ message, id: `${source}:${++lineNo}`, timestamp: arrived }));
    for (let i = 0; i < records.length; i += options.batchSize) await session.feed(records.slice(i, i + options.batchSize));
    if (now() - lastTick >= TICK_EVERY_MS) {
      lastTick = now();
      await session.tick(lastTick);
    }
  };

  if (target === '-') await followStdin(io, feed, options.batchSize, control.signal);
  else await followFile(target, feed, control);
  await session.finish();

  const summary = [...formatSummary(collector.alerts, style), ...formatInputStats(session.input, session.totals)];
  for (const line of summary) writeLine(options.output !== 'text' ? io.stderr : io.stdout, line);
  return detectionExitCode(session, collector.alerts, options.failOn, io);
}

async function followStdin(io: CliIo, feed: (lines: string[]) => Promise<void>, batchSize: number, signal?: AbortSignal): Promise<void> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let pending: string[] = [];
  let chain = Promise.resolve();
  const flush = (): void => {
    const batch = pending;
    pending = [];
    chain = chain.then(() => feed(batch));
  };
  // Lines arriving together are batched; a quiet 200 ms flushes what is pending.
  let timer: NodeJS.Timeout | undefined;
  signal?.addEventListener('abort', () => lines.close());
  for await (const line of lines) {
    pending.push(line);
    if (pending.length >= batchSize) flush();
    clearTimeout(timer);
    timer = setTimeout(flush, 200);
  }
  clearTimeout(timer);
  flush();
  await chain;
}

async function followFile(path: string, feed: (lines: string[]) => Promise<void>, control: WatchControl): Promise<void> {
  try {
    await stat(path);
  } catch {
    throw new UsageError(`no such file: ${path}`);
  }
  let position = control.fromEnd ? (await stat(path)).size : 0;
  let carry = '';
  const decoder = new StringDecoder('utf8');
  const pollMs = control.pollMs ?? 250;
  while (!control.signal?.aborted) {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      size = 0; // rotated away; wait for the new file
    }
    if (size < position) {
      position = 0; // truncated or replaced: start over
      carry = '';
      decoder.end();
    }
    if (size > position) {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(Math.min(size - position, 16 * 1024 * 1024));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        position += bytesRead;
        const text = carry + decoder.write(buffer.subarray(0, bytesRead));
        const lines = text.split('\n');
        carry = lines.pop() ?? '';
        // A writer that never ends its line must not grow memory without bound: past the limit the
        // partial line is read as it is (the normalizer bounds what it keeps of a line).
        if (carry.length > MAX_CARRIED_LINE_CHARS) {
          lines.push(carry);
          carry = '';
        }
        await feed(lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
      } finally {
        await handle.close();
      }
      continue;
    }
    await sleep(pollMs, control.signal);
  }
  if (carry.length > 0) await feed([carry]);
}

/**
 * Waits `ms`, or until `signal` aborts. The abort listener is removed when the timer fires: one is
 * added per poll (four a second), so a listener left behind per poll would pile up for as long as
 * `watch` runs.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
