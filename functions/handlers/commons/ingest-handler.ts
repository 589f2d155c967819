/**
 * The ingest function: CloudWatch Logs deliveries in, alerts and metrics out. Two event shapes:
 *
 *   direct   `{awslogs: {data}}` from a subscription filter (asynchronous invoke). A payload that
 *            does not decode is logged and counted (BatchesFailed) and dropped: retrying it cannot
 *            help. A state or SNS failure throws, so Lambda retries the invocation and then sends
 *            it to the on-failure destination (the DLQ `redrive` reads).
 *   kinesis  a Kinesis batch whose records each hold one gzipped CloudWatch Logs payload. Records
 *            are processed one by one, in order (stateful detectors depend on it), each as its own
 *            exactly-once batch; failures are reported per record (`batchItemFailures`).
 *   schedule an EventBridge "Scheduled Event": runs the detectors that alert on absence
 *            (RES-TELEMETRY-GAP) at the current time — silence produces no log event to react to.
 */
import { BatchProcessor, EventType, FullBatchFailureError, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { MetricsWriter } from '../../adapters/emf-metrics.js';
import {
  decodeKinesisData,
  decodeSubscriptionEvent,
  isSubscriptionEvent,
  processPayload,
  type DeliveryResult,
  type PipelinePorts,
} from './cloudwatch-delivery.js';
import { runTick } from '../../engine/pipeline.js';
import { errorFields, Invocation } from './invocation.js';
import type { LogGroupFilter } from './log-sources.js';

export interface IngestDeps extends PipelinePorts {
  readonly filter: LogGroupFilter;
  readonly logger: Logger;
  readonly metrics: MetricsWriter;
  /** Wall clock for scheduled evaluation. @default Date.now */
  readonly now?: () => number;
}

export type DirectResult =
  | {
      readonly status: 'processed';
      readonly batchId: string;
      readonly events: number;
      readonly alerts: number;
      readonly published: number;
      /** Alerts that can never be published: isolated and logged, the batch succeeded. */
      readonly unpublishable?: number;
    }
  | { readonly status: 'control' | 'skipped' }
  | { readonly status: 'tick'; readonly alerts: number; readonly published: number }
  | { readonly status: 'rejected'; readonly error: string };

export type IngestResult = DirectResult | KinesisStreamBatchResponse;

/** The Kinesis record's position, hashed: redeliveries of the record get the same batch id. */
export function kinesisBatchId(record: Pick<KinesisStreamRecord, 'eventSourceARN' | 'eventID' | 'kinesis'>): string {
  const shard = record.eventID.split(':')[0] ?? record.eventID;
  return createHash('sha256').update(`${record.eventSourceARN}-${shard}:${record.kinesis.sequenceNumber}`).digest('hex').slice(0, 32);
}

function isKinesisEvent(event: unknown): event is KinesisStreamEvent {
  if (typeof event !== 'object' || event === null || !('Records' in event)) return false;
  const records = (event as { Records: unknown }).Records;
  return Array.isArray(records) && records.every((r) => typeof r === 'object' && r !== null && (r as { eventSource?: unknown }).eventSource === 'aws:kinesis');
}

/** An EventBridge schedule (`rate(5 minutes)`) event. */
export function isScheduledEvent(event: unknown): event is { time?: string } {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

function describeShape(event: unknown): string {
  if (typeof event !== 'object' || event === null) return typeof event;
  return `an object with keys ${Object.keys(event).slice(0, 8).join(', ') || '(none)'}`;
}

export function createIngestHandler(deps: IngestDeps): (event: unknown, context?: Context) => Promise<IngestResult> {
  const { logger } = deps;

  const logResult = (result: DeliveryResult, invocation: Invocation): void => {
    if (result.status === 'processed') invocation.add(result.figures);
    else if (result.status === 'skipped') {
      logger.debug('log group skipped', { logGroup: result.logGroup, reason: result.reason });
    } else logger.debug('CloudWatch Logs control message ignored');
  };

  const direct = async (event: unknown, invocation: Invocation): Promise<DirectResult> => {
    const decoded = decodeSubscriptionEvent(event);
    if (!decoded.ok) {
      invocation.batchesFailed++;
      logger.error('dropped an undecodable CloudWatch Logs payload', { error: decoded.error });
      return { status: 'rejected', error: decoded.error };
    }
    const payload = decoded.payload;
    let result: DeliveryResult;
    try {
      result = await processPayload({ ...deps, sink: invocation.sink }, payload, { filter: deps.filter });
    } catch (error) {
      invocation.batchesFailed++;
      logger.error('batch failed: Lambda retries it, then sends it to the DLQ', { logGroup: payload.logGroup, logStream: payload.logStream, ...errorFields(error) });
      throw error;
    }
    logResult(result, invocation);
    if (result.status !== 'processed') return { status: result.status };
    const o = result.figures.outcome;
    const unpublishable = o.unpublishable?.length ?? 0;
    return {
      status: 'processed',
      batchId: result.batchId,
      events: o.events,
      alerts: o.alerts.length,
      published: o.published,
      ...(unpublishable > 0 ? { unpublishable } : {}),
    };
  };

  const kinesis = async (event: KinesisStreamEvent, invocation: Invocation, context?: Context): Promise<KinesisStreamBatchResponse> => {
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
      const where = { sequenceNumber: record.kinesis.sequenceNumber, shard: record.eventID.split(':')[0] };
      try {
        const decoded = decodeKinesisData(record.kinesis.data);
        if (!decoded.ok) throw new Error(decoded.error);
        logResult(await processPayload({ ...deps, sink: invocation.sink }, decoded.payload, { batchId: kinesisBatchId(record), filter: deps.filter }), invocation);
      } catch (error) {
        invocation.batchesFailed++;
        logger.error('Kinesis record failed: reported in batchItemFailures', { ...where, ...errorFields(error) });
        throw error;
      }
    };
    return processPartialResponse(event, recordHandler, processor, {
      ...(context !== undefined ? { context } : {}),
      // In order: a later record's detection may depend on an earlier record's state.
      processInParallel: false,
    });
  };

  const tick = async (invocation: Invocation): Promise<DirectResult> => {
    // The wall clock is read here, in the handler; the engine only ever sees it as `now`.
    const outcome = await runTick(deps.engine, (deps.now ?? Date.now)(), { store: deps.store, sink: invocation.sink, ...(deps.origin !== undefined ? { origin: deps.origin } : {}), lifecycle: deps.lifecycle === true });
    invocation.add({ outcome, unparsed: 0 });
    return { status: 'tick', alerts: outcome.alerts.length, published: outcome.published };
  };

  return async (event: unknown, context?: Context): Promise<IngestResult> => {
    if (context !== undefined) logger.addContext(context);
    const invocation = new Invocation(deps.sink, logger, deps.metrics);
    try {
      if (isSubscriptionEvent(event)) return await direct(event, invocation);
      if (isScheduledEvent(event)) return await tick(invocation);
      if (isKinesisEvent(event)) return await kinesis(event, invocation, context);
      invocation.batchesFailed++;
      const error = `unsupported event: expected a CloudWatch Logs subscription event {awslogs: {data}} or a Kinesis event, got ${describeShape(event)}`;
      logger.error(error);
      return { status: 'rejected', error };
    } catch (error) {
      if (error instanceof FullBatchFailureError) logger.error('every record of the Kinesis batch failed: Lambda retries the batch');
      throw error;
    } finally {
      invocation.flushMetrics();
    }
  };
}
