/**
 * CloudWatch Logs subscription payloads: `event.awslogs.data` is base64(gzip(JSON)) of
 * `{messageType, owner, logGroup, logStream, subscriptionFilters, logEvents}`. Decoding is pure
 * computation (node:zlib, Buffer); a payload that is not one throws a clear Error, since the whole
 * delivery is unusable — a bad *line* inside a good payload is the Normalizer's business, not this.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RawLogRecord } from './line-context.js';

export interface CloudWatchLogsData {
  messageType: string;
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

/**
 * Decompressed size beyond which a payload is refused: the one limit of every entry point (ingest
 * direct and Kinesis, `redrive`, the CLI). A CloudWatch delivery holds at most about 1 MB of log
 * events (a few MB once JSON-escaped); 16 MiB leaves room and keeps a bomb's JSON.parse far below
 * the function's memory.
 */
export const MAX_DECODED_BYTES = 16 * 1024 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the decoded JSON is a subscription payload; log events with a malformed shape are dropped.
 * The log events are freshly parsed, so they are repaired in place (a non-string id becomes a
 * string, a non-number timestamp NaN) rather than copied: one object less per record.
 */
export function asCloudWatchLogsData(value: unknown): CloudWatchLogsData {
  if (!isObject(value)) throw new Error('CloudWatch Logs data is not a JSON object');
  const { messageType, owner, logGroup, logStream, subscriptionFilters, logEvents } = value;
  if (typeof messageType !== 'string') throw new Error('CloudWatch Logs data has no messageType');
  if (!Array.isArray(logEvents)) throw new Error('CloudWatch Logs data has no logEvents array');
  // The parsed array itself when every entry is a log event (the usual case), else the valid ones.
  let events = logEvents as CloudWatchLogsData['logEvents'];
  for (let i = 0; i < logEvents.length; i++) {
    const e: unknown = logEvents[i];
    if (!isObject(e) || typeof e.message !== 'string') {
      if (events === logEvents) events = (logEvents as CloudWatchLogsData['logEvents']).slice(0, i);
      continue;
    }
    if (typeof e.id !== 'string') e.id = String(e.id ?? '');
    if (typeof e.timestamp !== 'number') e.timestamp = Number.NaN;
    if (events !== logEvents) events.push(e as CloudWatchLogsData['logEvents'][number]);
  }
  return {
    messageType,
    owner: typeof owner === 'string' ? owner : '',
    logGroup: typeof logGroup === 'string' ? logGroup : '',
    logStream: typeof logStream === 'string' ? logStream : '',
    subscriptionFilters: Array.isArray(subscriptionFilters)
      ? subscriptionFilters.filter((f): f is string => typeof f === 'string')
      : [],
    logEvents: events,
  };
}

/** Decodes `awslogs.data`. Throws an Error saying what is wrong when it is not base64 gzip JSON of a payload. */
export function decodeCloudWatchData(base64Gzip: string): CloudWatchLogsData {
  if (typeof base64Gzip !== 'string' || base64Gzip.length === 0)
    throw new Error('CloudWatch Logs data is empty');
  const compressed = Buffer.from(base64Gzip, 'base64');
  if (compressed.length < 18 || compressed[0] !== 0x1f || compressed[1] !== 0x8b) {
    throw new Error('CloudWatch Logs data is not base64-encoded gzip');
  }
  let json: string;
  try {
    json = gunzipSync(compressed, { maxOutputLength: MAX_DECODED_BYTES }).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
      throw new Error(`CloudWatch Logs data decompresses to more than ${MAX_DECODED_BYTES} bytes (limit MAX_DECODED_BYTES): refused`);
    throw new Error(`CloudWatch Logs data does not decompress: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('CloudWatch Logs data does not decompress to JSON');
  }
  return asCloudWatchLogsData(value);
}

/** The log events of a payload as raw records; none for a CONTROL_MESSAGE (CloudWatch's reachability probe). */
export function recordsOf(data: CloudWatchLogsData): RawLogRecord[] {
  if (data.messageType !== 'DATA_MESSAGE') return [];
  const { logGroup, logStream } = data;
  return data.logEvents.map((e) =>
    Number.isFinite(e.timestamp)
      ? { message: e.message, timestamp: e.timestamp, id: e.id, logGroup, logStream }
      : { message: e.message, id: e.id, logGroup, logStream },
  );
}

/** The inverse of decodeCloudWatchData, for tests, the bench and end-to-end runs. */
export function encodeCloudWatchData(data: CloudWatchLogsData): string {
  return gzipSync(JSON.stringify(data)).toString('base64');
}
