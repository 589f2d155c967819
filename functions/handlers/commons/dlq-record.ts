/**
 * What lands in the pipeline's dead-letter queue, and what `redrive` can do with it:
 *
 *   Lambda on-failure destination record (direct ingestion and config-change, async invoke):
 *     {version, timestamp, requestContext: {requestId, functionArn, condition, approximateInvokeCount},
 *      requestPayload: <the original event>, responseContext, responsePayload}
 *     → requestPayload `{awslogs: {data}}` is re-processed as a log delivery, a CloudTrail event as a change.
 *   EventBridge rule DLQ (config-change events EventBridge could not deliver): the event itself → a change.
 *   Kinesis event source on-failure record: {requestContext, responseContext, KinesisBatchInfo:
 *     {shardId, startSequenceNumber, endSequenceNumber, streamArn, batchSize, …}} — pointers to the
 *     failed records, not the records: they must be read from the stream while it retains them.
 */
import { CLOUDTRAIL_DETAIL_TYPE } from './cloudtrail-change.js';

export interface KinesisBatchInfo {
  readonly shardId?: string;
  readonly startSequenceNumber?: string;
  readonly endSequenceNumber?: string;
  readonly streamArn?: string;
  readonly batchSize?: number;
  readonly approximateArrivalOfFirstRecord?: string;
  readonly approximateArrivalOfLastRecord?: string;
}

export type DlqRecord =
  | { readonly kind: 'logs'; readonly event: unknown; readonly condition?: string }
  | { readonly kind: 'change'; readonly event: unknown; readonly condition?: string }
  | { readonly kind: 'kinesis'; readonly info: KinesisBatchInfo }
  | { readonly kind: 'unknown'; readonly reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCloudTrailEvent(value: unknown): boolean {
  return isObject(value) && value['detail-type'] === CLOUDTRAIL_DETAIL_TYPE;
}

export function classifyDlqBody(body: string | undefined): DlqRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { kind: 'unknown', reason: 'the message body is not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'unknown', reason: 'the message body is not a JSON object' };
  if (isObject(parsed.KinesisBatchInfo)) return { kind: 'kinesis', info: parsed.KinesisBatchInfo as KinesisBatchInfo };
  if (isCloudTrailEvent(parsed)) return { kind: 'change', event: parsed };
  if ('requestPayload' in parsed) {
    const payload = parsed.requestPayload;
    const context = isObject(parsed.requestContext) ? parsed.requestContext : {};
    const condition = typeof context.condition === 'string' ? context.condition : undefined;
    const extra = condition !== undefined ? { condition } : {};
    if (isObject(payload) && 'awslogs' in payload) return { kind: 'logs', event: payload, ...extra };
    if (isCloudTrailEvent(payload)) return { kind: 'change', event: payload, ...extra };
    return { kind: 'unknown', reason: 'a Lambda failure record whose request is neither a CloudWatch Logs delivery nor a CloudTrail event' };
  }
  return { kind: 'unknown', reason: 'not a Lambda failure record, an EventBridge CloudTrail event or a Kinesis failure record' };
}

/** What to tell the operator about a Kinesis failure record (its records are not in the message). */
export function describeKinesisFailure(info: KinesisBatchInfo): string {
  const stream = info.streamArn ?? 'the stream';
  const streamName = info.streamArn?.split('/').pop() ?? '<stream>';
  return (
    `Kinesis failure record: ${info.batchSize ?? '?'} records of ${stream}, shard ${info.shardId ?? '?'}, ` +
    `sequence numbers ${info.startSequenceNumber ?? '?'} to ${info.endSequenceNumber ?? '?'}. The records are not in the message: ` +
    `read them from the stream before its retention ends (aws kinesis get-shard-iterator --stream-name ${streamName} ` +
    `--shard-id ${info.shardId ?? '<shard>'} --shard-iterator-type AT_SEQUENCE_NUMBER --starting-sequence-number ${info.startSequenceNumber ?? '<seq>'}, ` +
    `then get-records) and replay their data with \`mcp-watchtower replay\`. Left in the queue.`
  );
}
