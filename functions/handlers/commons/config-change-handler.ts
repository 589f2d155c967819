/**
 * The config-change function: an EventBridge "AWS API Call via CloudTrail" event on an MCP
 * server's AWS resource becomes one canonical `mcp.change` event, run through the same engine and
 * alert path as the logs (CFG-SERVER-CHANGE checks the actor against `changes.allowedActors`).
 * The batch id is the EventBridge event id, so EventBridge's retries and `redrive` are exactly-once.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { MetricsWriter } from '../../adapters/emf-metrics.js';
import type { BatchOutcome } from '../../engine/pipeline.js';
import { runBatch } from '../../engine/pipeline.js';
import type { PipelinePorts } from './cloudwatch-delivery.js';
import { changeEventFrom } from './cloudtrail-change.js';
import { errorFields, Invocation } from './invocation.js';

export interface ConfigChangeDeps extends PipelinePorts {
  readonly logger: Logger;
  readonly metrics: MetricsWriter;
}

export type ChangeResult =
  | { readonly status: 'processed'; readonly batchId: string; readonly alerts: number; readonly published: number }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'rejected'; readonly error: string };

export type ChangeProcessing =
  | { readonly status: 'processed'; readonly batchId: string; readonly outcome: BatchOutcome }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'rejected'; readonly error: string };

/** The shared path (handler and `redrive`): map, then run one batch. Throws on state or SNS failures. */
export async function processChangeEvent(ports: PipelinePorts, event: unknown): Promise<ChangeProcessing> {
  const mapping = changeEventFrom(event);
  if (mapping.kind === 'invalid') return { status: 'rejected', error: mapping.reason };
  if (mapping.kind === 'ignored') return { status: 'ignored', reason: mapping.reason };
  const batchId = mapping.eventId;
  const outcome = await runBatch(ports.engine, { batchId, events: [mapping.event] }, { store: ports.store, sink: ports.sink, ...(ports.origin !== undefined ? { origin: ports.origin } : {}), lifecycle: ports.lifecycle === true });
  return { status: 'processed', batchId, outcome };
}

export function createConfigChangeHandler(deps: ConfigChangeDeps): (event: unknown, context?: Context) => Promise<ChangeResult> {
  const { logger } = deps;
  return async (event: unknown, context?: Context): Promise<ChangeResult> => {
    if (context !== undefined) logger.addContext(context);
    const invocation = new Invocation(deps.sink, logger, deps.metrics);
    try {
      let result: ChangeProcessing;
      try {
        result = await processChangeEvent({ ...deps, sink: invocation.sink }, event);
      } catch (error) {
        invocation.batchesFailed++;
        logger.error('change event failed: EventBridge retries it, then sends it to the DLQ', errorFields(error));
        throw error;
      }
      if (result.status === 'rejected') {
        invocation.batchesFailed++;
        logger.error('dropped an event that is not a CloudTrail API call', { error: result.error });
        return result;
      }
      if (result.status === 'ignored') {
        logger.info('change event ignored', { reason: result.reason });
        return result;
      }
      invocation.add({ outcome: result.outcome, unparsed: 0 });
      return { status: 'processed', batchId: result.batchId, alerts: result.outcome.alerts.length, published: result.outcome.published };
    } finally {
      invocation.flushMetrics();
    }
  };
}
