/**
 * `tail --log-group <name>`: read an MCP server's CloudWatch log group with the AWS SDK
 * (FilterLogEvents, every page) and run it through the detectors like `replay`. `--follow` keeps
 * polling from the newest event seen, re-reading a short overlap so late-ingested events are not
 * missed and skipping event ids already processed.
 */
import { FilterLogEventsCommand, ResourceNotFoundException, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { createCloudWatchLogsClient } from '../../adapters/aws-clients.js';
import type { Alert } from '../../engine/alerts/alert.js';
import { atLeast } from '../../engine/alerts/severity.js';
import type { RawLogRecord } from '../../engine/events/normalize.js';
import { AlertCollector } from '../alert-collector.js';
import type { AwsOptions, DetectionOptions } from '../common-options.js';
import { loadCliEngine } from '../engine-loader.js';
import { writeLine, type CliIo } from '../io.js';
import { formatInputStats, formatSummary } from '../output/text-report.js';
import { createRuntimePorts, checkSetup } from '../runtime.js';
import { DetectionSession } from '../session.js';
import { EXIT_ALERTS, EXIT_OK, UsageError } from '../usage-error.js';
import { alertPrinter, textStyle } from '../output/alert-printer.js';

export interface TailOptions {
  readonly logGroup: string;
  /** How far back to start, in ms. */
  readonly sinceMs: number;
  readonly follow: boolean;
  readonly filterPattern?: string;
  /** Also read the log group through a CloudWatch Logs endpoint other than AWS's. */
  readonly logsEndpoint?: string;
}

export interface TailControl {
  readonly signal?: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  /** Pause between polls with --follow. @default 5000 */
  readonly pollMs?: number;
  /** Tests inject a client (aws-sdk-client-mock); default: a client from the standard AWS chain. */
  readonly client?: CloudWatchLogsClient;
}

/** Re-read this much before the newest event seen: CloudWatch may ingest events late. */
const FOLLOW_OVERLAP_MS = 30_000;
const TICK_EVERY_MS = 60_000;
/** Event ids kept for de-duplication before those outside the overlap are dropped. */
const MAX_SEEN = 200_000;
const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h`, `7d` → milliseconds. */
export function parseDuration(text: string, flag = '--since'): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new UsageError(`${flag} must be a duration like 30s, 15m, 1h or 2d, got "${text}"`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function toRecord(logGroup: string, event: FilteredLogEvent): RawLogRecord {
  return {
    message: event.message ?? '',
    ...(event.timestamp !== undefined ? { timestamp: event.timestamp } : {}),
    logGroup,
    ...(event.logStreamName !== undefined ? { logStream: event.logStreamName } : {}),
    ...(event.eventId !== undefined ? { id: event.eventId } : {}),
  };
}

export async function tail(options: TailOptions, detection: DetectionOptions, aws: AwsOptions, io: CliIo, control: TailControl = {}): Promise<number> {
  const { engine } = loadCliEngine(detection);
  const { store, publisher } = await createRuntimePorts(aws, io);
  const client =
    control.client ??
    createCloudWatchLogsClient({
      ...(options.logsEndpoint !== undefined ? { endpoint: options.logsEndpoint } : {}),
      ...(aws.region !== undefined ? { region: aws.region } : {}),
    });
  if (control.client === undefined) {
    await checkSetup(client, 'CloudWatch Logs');
  }

  const print = alertPrinter(detection.output, io);
  const collector = new AlertCollector(print);
  const sink = publisher
    ? {
        publish: async (alert: Alert) => {
          await publisher.publish(alert);
          await collector.publish(alert);
        },
        repeat: (r: Parameters<AlertCollector['repeat']>[0]) => collector.repeat(r),
      }
    : collector;
  const session = new DetectionSession(engine, store, sink, detection.format);
  const now = control.now ?? Date.now;
  const pollMs = control.pollMs ?? 5000;

  let from = now() - options.sinceMs;
  let newest = from;
  // Ids of events at or after `from`: the overlap re-reads them.
  const seen = new Map<string, number>();
  let lastTick = now();

  const readOnce = async (): Promise<void> => {
    let nextToken: string | undefined;
    let pending: RawLogRecord[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const records = pending;
      pending = [];
      await session.feed(records);
    };
    do {
      if (control.signal?.aborted) return;
      let page;
      try {
        page = await client.send(
          new FilterLogEventsCommand({
            logGroupName: options.logGroup,
            startTime: from,
            ...(options.filterPattern !== undefined ? { filterPattern: options.filterPattern } : {}),
            ...(nextToken !== undefined ? { nextToken } : {}),
          }),
        );
      } catch (error) {
        if (error instanceof ResourceNotFoundException) throw new UsageError(`log group ${options.logGroup} not found`);
        throw error;
      }
      for (const event of page.events ?? []) {
        const id = event.eventId;
        const ts = event.timestamp ?? 0;
        // Pages never repeat an event; only --follow's overlapping re-reads do.
        if (options.follow && id !== undefined) {
          if (seen.has(id)) continue;
          seen.set(id, ts);
          if (seen.size > MAX_SEEN) for (const [old, at] of seen) if (at < newest - FOLLOW_OVERLAP_MS) seen.delete(old);
        }
        if (ts > newest) newest = ts;
        pending.push(toRecord(options.logGroup, event));
        if (pending.length >= detection.batchSize) await flush();
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    await flush();
  };

  await readOnce();
  while (options.follow && !control.signal?.aborted) {
    await sleep(pollMs, control.signal);
    if (control.signal?.aborted) break;
    from = Math.max(from, newest - FOLLOW_OVERLAP_MS);
    for (const [id, ts] of seen) if (ts < from) seen.delete(id);
    await readOnce();
    if (now() - lastTick >= TICK_EVERY_MS) {
      lastTick = now();
      await session.tick(lastTick);
    }
  }
  await session.finish();
  if (!options.follow && session.totals.latestEventTs > 0) await session.tick(session.totals.latestEventTs);

  const summary = [...formatSummary(collector.alerts, textStyle(io)), ...formatInputStats(session.input, session.totals)];
  for (const line of summary) writeLine(detection.output === 'json' ? io.stderr : io.stdout, line);
  const failOn = detection.failOn;
  if (failOn !== undefined && collector.alerts.some((a) => atLeast(a.severity, failOn))) return EXIT_ALERTS;
  return EXIT_OK;
}
