/**
 * One CloudWatch Logs subscription payload through the pipeline — the path the ingest function
 * (direct or Kinesis) and `redrive` share, so a redriven payload gets the batch id, and therefore
 * the exactly-once guarantees, of its original delivery.
 */
import type { AlertOrigin } from '../../engine/alerts/lifecycle.js';
import type { AlertSink } from '../../engine/alerts/sink.js';
import type { Engine } from '../../engine/compile.js';
import { decodeCloudWatchData, recordsOf, type CloudWatchLogsData } from '../../engine/events/cloudwatch.js';
import { batchIdOf, processRecords } from '../../engine/process-records.js';
import type { StateStore } from '../../engine/state/port.js';
import type { DeliveryFigures } from '../../adapters/emf-metrics.js';
import type { LogGroupDecision, LogGroupFilter } from './log-sources.js';

/** A decoded subscription payload (`{messageType, owner, logGroup, logStream, logEvents}`). */
export type CloudWatchPayload = CloudWatchLogsData;

export type DecodeResult = { readonly ok: true; readonly payload: CloudWatchPayload } | { readonly ok: false; readonly error: string };

export interface PipelinePorts {
  readonly engine: Engine;
  readonly store: StateStore;
  readonly sink: AlertSink;
  /** Account and region stamped on alerts. @default none */
  readonly origin?: AlertOrigin;
  /** Track the alert lifecycle (on when destinations are configured). @default false */
  readonly lifecycle?: boolean;
}

export type DeliveryResult =
  | { readonly status: 'processed'; readonly logGroup: string; readonly batchId: string; readonly figures: DeliveryFigures }
  | { readonly status: 'control' }
  | { readonly status: 'skipped'; readonly logGroup: string; readonly reason: Exclude<LogGroupDecision, 'source'> };

/**
 * Validates and decodes `{awslogs: {data: <base64 gzip JSON>}}` with the engine's decoder, the one
 * every entry point shares (direct, Kinesis, `redrive`, the CLI): its decompressed size is capped
 * by MAX_DECODED_BYTES, so a decompression bomb is refused instead of exhausting the function.
 */
export function decodeSubscriptionEvent(event: unknown): DecodeResult {
  const awslogs = typeof event === 'object' && event !== null ? (event as { awslogs?: unknown }).awslogs : undefined;
  const data = typeof awslogs === 'object' && awslogs !== null ? (awslogs as { data?: unknown }).data : undefined;
  if (typeof data !== 'string') return { ok: false, error: 'not a CloudWatch Logs subscription payload (awslogs.data: expected a base64 string)' };
  try {
    return { ok: true, payload: decodeCloudWatchData(data) };
  } catch (error) {
    return { ok: false, error: `not a CloudWatch Logs subscription payload (${(error as Error).message})` };
  }
}

/** A Kinesis record's data: the same base64 gzip payload CloudWatch Logs writes to the stream. */
export function decodeKinesisData(data: string): DecodeResult {
  return decodeSubscriptionEvent({ awslogs: { data } });
}

export function isSubscriptionEvent(event: unknown): event is { awslogs: { data: unknown } } {
  return typeof event === 'object' && event !== null && 'awslogs' in event;
}

export async function processPayload(
  ports: PipelinePorts,
  payload: CloudWatchPayload,
  options: { readonly batchId?: string; readonly filter?: LogGroupFilter } = {},
): Promise<DeliveryResult> {
  // CloudWatch Logs checks a new destination with a control message; it carries no log events.
  if (payload.messageType === 'CONTROL_MESSAGE') return { status: 'control' };
  const decision = options.filter?.decide(payload.logGroup) ?? 'source';
  if (decision !== 'source') return { status: 'skipped', logGroup: payload.logGroup, reason: decision };
  const records = recordsOf(payload);
  const batchId = options.batchId ?? batchIdOf(records);
  const { outcome, input } = await processRecords(ports.engine, { batchId, records }, { store: ports.store, sink: ports.sink, ...(ports.origin !== undefined ? { origin: ports.origin } : {}), lifecycle: ports.lifecycle === true });
  return { status: 'processed', logGroup: payload.logGroup, batchId, figures: { logGroup: payload.logGroup, outcome, unparsed: input.unparsed, tooDeep: input.tooDeep } };
}
