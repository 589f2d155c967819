/**
 * Inputs as AWS delivers them: CloudWatch Logs subscription events (`{awslogs: {data}}`, gzip +
 * base64), Kinesis events carrying the same payloads, engine config files for the handlers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { KinesisStreamEvent } from 'aws-lambda';
import { ALL_DETECTORS } from '../../functions/engine/detectors/registry.js';

const BASE_TIME = Date.parse('2026-11-24T10:00:00.000Z');

/** A canonical v1 log line; `t` is seconds after 2026-11-24T10:00:00Z. */
export function canonicalLine(t: number, fields: Record<string, unknown>): { timestamp: number; message: string } {
  const timestamp = BASE_TIME + t * 1000;
  return { timestamp, message: JSON.stringify({ v: 1, time: new Date(timestamp).toISOString(), ...fields }) };
}

let nextEventId = 1;

export interface PayloadOptions {
  readonly logGroup?: string;
  readonly logStream?: string;
  readonly messageType?: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
}

/** base64(gzip(JSON)) of a subscription payload, as in `event.awslogs.data` and Kinesis record data. */
export function payloadData(lines: ReadonlyArray<{ timestamp: number; message: string }>, options: PayloadOptions = {}): string {
  const payload = {
    messageType: options.messageType ?? 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: options.logGroup ?? '/aws/lambda/files-mcp',
    logStream: options.logStream ?? '2026/11/24/[$LATEST]0123456789abcdef',
    subscriptionFilters: ['mcp-watchtower'],
    logEvents: lines.map((l) => ({ id: String(nextEventId++).padStart(56, '3'), timestamp: l.timestamp, message: l.message })),
  };
  return gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64');
}

export function subscriptionEvent(lines: ReadonlyArray<{ timestamp: number; message: string }>, options: PayloadOptions = {}): { awslogs: { data: string } } {
  return { awslogs: { data: payloadData(lines, options) } };
}

export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/mcp-logs';

/** A Kinesis event; each entry is one record's base64 data. */
export function kinesisEvent(datas: readonly string[], firstSequence = 1): KinesisStreamEvent {
  return {
    Records: datas.map((data, i) => {
      const sequenceNumber = String(49_650_000_000_000 + firstSequence + i);
      return {
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/ingest',
        awsRegion: 'us-east-1',
        eventSourceARN: STREAM_ARN,
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'p',
          sequenceNumber,
          data,
          approximateArrivalTimestamp: 1_795_000_000,
        },
      };
    }),
  };
}

/**
 * An engine config file with only `detectors` enabled (so tests assert exact alerts whatever other
 * detectors the registry gains), plus any other config sections.
 */
export function engineConfigFile(detectors: readonly string[], extra: Record<string, unknown> = {}): string {
  const settings: Record<string, unknown> = {};
  for (const d of ALL_DETECTORS) if (!detectors.includes(d.meta.id)) settings[d.meta.id] = { enabled: false };
  const missing = detectors.filter((id) => !ALL_DETECTORS.some((d) => d.meta.id === id));
  if (missing.length > 0) throw new Error(`not in the detector registry: ${missing.join(', ')}`);
  const file = join(mkdtempSync(join(tmpdir(), 'watchtower-config-')), 'watchtower.config.json');
  writeFileSync(file, JSON.stringify({ ...extra, detectors: settings }));
  return file;
}
