/**
 * CloudWatch subscription payloads (decode, encode, CONTROL_MESSAGE) and the local input forms the
 * CLI reads: the raw awslogs event, a decoded payload, bare base64 gzip, plain lines.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeCloudWatchData,
  encodeCloudWatchData,
  recordsOf,
  type CloudWatchLogsData,
} from '../../../functions/engine/events/cloudwatch.js';
import { recordsFromText } from '../../../functions/engine/events/local-input.js';
import { normalizeRecords } from '../../../functions/engine/events/normalize.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const CANONICAL = '{"v":1,"event":"mcp.usage","time":"2026-11-24T10:00:00Z","server":{"name":"files-mcp"}}';
const REPORT =
  'REPORT RequestId: r-1\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t';

function payload(overrides: Partial<CloudWatchLogsData> = {}): CloudWatchLogsData {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/files-mcp',
    logStream: '2026/11/24/[$LATEST]abc',
    subscriptionFilters: ['mcp-watchtower'],
    logEvents: [
      {
        id: '37000000000000000000000000000000000000000000000000000001',
        timestamp: T0 + 1,
        message: CANONICAL,
      },
      { id: '37000000000000000000000000000000000000000000000000000002', timestamp: T0 + 2, message: REPORT },
    ],
    ...overrides,
  };
}

const EXPECTED_RECORDS = [
  {
    message: CANONICAL,
    timestamp: T0 + 1,
    id: '37000000000000000000000000000000000000000000000000000001',
    logGroup: '/aws/lambda/files-mcp',
    logStream: '2026/11/24/[$LATEST]abc',
  },
  {
    message: REPORT,
    timestamp: T0 + 2,
    id: '37000000000000000000000000000000000000000000000000000002',
    logGroup: '/aws/lambda/files-mcp',
    logStream: '2026/11/24/[$LATEST]abc',
  },
];

describe('CloudWatch payloads', () => {
  it('round-trips through encode and decode, and yields one record per log event', () => {
    const data = payload();
    const decoded = decodeCloudWatchData(encodeCloudWatchData(data));
    expect(decoded).toEqual(data);
    expect(recordsOf(decoded)).toEqual(EXPECTED_RECORDS);
  });

  it('yields no records for a CONTROL_MESSAGE', () => {
    const control = payload({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [
        { id: '', timestamp: T0, message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda.' },
      ],
    });
    expect(recordsOf(decodeCloudWatchData(encodeCloudWatchData(control)))).toEqual([]);
  });

  it('throws a clear error for what is not a payload', () => {
    expect(() => decodeCloudWatchData('')).toThrow('CloudWatch Logs data is empty');
    expect(() => decodeCloudWatchData('not base64 at all!')).toThrow('not base64-encoded gzip');
    expect(() =>
      decodeCloudWatchData(Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64')),
    ).toThrow('not base64-encoded gzip');
    const truncated = encodeCloudWatchData(payload()).slice(0, 40);
    expect(() => decodeCloudWatchData(truncated)).toThrow('does not decompress');
    expect(() => decodeCloudWatchData(gzipSync('hello').toString('base64'))).toThrow(
      'does not decompress to JSON',
    );
    expect(() => decodeCloudWatchData(gzipSync('[1]').toString('base64'))).toThrow('not a JSON object');
    expect(() => decodeCloudWatchData(gzipSync('{"messageType":"DATA_MESSAGE"}').toString('base64'))).toThrow(
      'no logEvents array',
    );
  });

  it('drops log events that are not log events', () => {
    const odd = gzipSync(
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        logGroup: 'g',
        logStream: 's',
        logEvents: [{ id: 'a', timestamp: 'x', message: 'kept' }, { id: 'b', message: 7 }, null],
      }),
    ).toString('base64');
    expect(recordsOf(decodeCloudWatchData(odd))).toEqual([
      { message: 'kept', id: 'a', logGroup: 'g', logStream: 's' },
    ]);
  });

  it('feeds the normalizer: the usage sample of the REPORT line is named after the function', () => {
    const { events, stats } = normalizeRecords(
      recordsOf(decodeCloudWatchData(encodeCloudWatchData(payload()))),
    );
    expect(stats).toMatchObject({
      lines: 2,
      events: 2,
      unparsed: 0,
      byFormat: { canonical: 1, 'lambda-report': 1 },
    });
    expect(events[1]?.event).toEqual({
      v: 1,
      event: 'mcp.usage',
      time: '2026-11-24T10:00:00.002Z',
      server: { name: 'files-mcp', instance: '2026/11/24/[$LATEST]abc' },
      durationMs: 5,
      usage: { memUsedMb: 70, memLimitMb: 128 },
      lambda: { requestId: 'r-1', billedDurationMs: 5 },
    });
  });
});

describe('recordsFromText', () => {
  const data = payload();
  const base64 = encodeCloudWatchData(data);

  it('reads a raw subscription event, whole file or one per line', () => {
    expect(recordsFromText(JSON.stringify({ awslogs: { data: base64 } }, null, 2), 'event.json')).toEqual(
      EXPECTED_RECORDS,
    );
    const twoEvents = `${JSON.stringify({ awslogs: { data: base64 } })}\n${JSON.stringify({ awslogs: { data: base64 } })}\n`;
    expect(recordsFromText(twoEvents, 'events.jsonl')).toEqual([...EXPECTED_RECORDS, ...EXPECTED_RECORDS]);
  });

  it('reads a decoded payload, whole file (pretty-printed) or one per line', () => {
    expect(recordsFromText(JSON.stringify(data, null, 2), 'payload.json')).toEqual(EXPECTED_RECORDS);
    expect(
      recordsFromText(`${JSON.stringify(data)}\n${JSON.stringify(data)}`, 'payloads.jsonl'),
    ).toHaveLength(4);
    // Decoded by hand: no messageType, no ids.
    expect(
      recordsFromText(
        JSON.stringify({ logGroup: 'g', logStream: 's', logEvents: [{ timestamp: T0, message: 'm' }] }),
        'mine.json',
      ),
    ).toEqual([{ message: 'm', timestamp: T0, id: 'mine.json#1', logGroup: 'g', logStream: 's' }]);
  });

  it('reads bare base64 gzip, whole text (wrapped at 76 columns) or one per line', () => {
    const wrapped = base64.replace(/.{76}/g, '$&\n');
    expect(recordsFromText(wrapped, 'data.b64')).toEqual(EXPECTED_RECORDS);
    expect(recordsFromText(`${base64}\n${base64}\n`, 'data.txt')).toHaveLength(4);
  });

  it('reads a Kinesis event of CloudWatch records', () => {
    expect(
      recordsFromText(
        JSON.stringify({ Records: [{ kinesis: { data: base64 } }, { kinesis: { data: base64 } }] }),
        'kinesis.json',
      ),
    ).toHaveLength(4);
  });

  it('reads plain lines with <source>:<lineNo> ids, skipping blank lines and CRs', () => {
    const text = `${CANONICAL}\r\n\r\n   \nplain text\r\n${REPORT}`;
    expect(recordsFromText(text, 'app.log')).toEqual([
      { message: CANONICAL, id: 'app.log:1' },
      { message: 'plain text', id: 'app.log:4' },
      { message: REPORT, id: 'app.log:5' },
    ]);
    expect(recordsFromText('', 'empty.log')).toEqual([]);
  });

  it('reads a single JSON log line as one record, and a pretty-printed one as one compact record', () => {
    expect(recordsFromText(CANONICAL, 'one.log')).toEqual([{ message: CANONICAL, id: 'one.log:1' }]);
    expect(recordsFromText(JSON.stringify(JSON.parse(CANONICAL), null, 2), 'pretty.json')).toEqual([
      { message: CANONICAL, id: 'pretty.json:1' },
    ]);
  });

  it('mixes payload lines and plain lines', () => {
    const text = [CANONICAL, JSON.stringify({ awslogs: { data: base64 } }), 'tail'].join('\n');
    expect(recordsFromText(text, 'mixed.log').map((r) => r.id)).toEqual([
      'mixed.log:1',
      EXPECTED_RECORDS[0]?.id,
      EXPECTED_RECORDS[1]?.id,
      'mixed.log:3',
    ]);
  });

  it('keeps a payload that does not decode as a plain line (counted unparsed downstream), never throws', () => {
    const broken = JSON.stringify({ awslogs: { data: 'H4sIAAAAbroken' } });
    expect(recordsFromText(`${broken}\nH4sIAAAAAAAA\n`, 'bad.log')).toEqual([
      { message: broken, id: 'bad.log:1' },
      { message: 'H4sIAAAAAAAA', id: 'bad.log:2' },
    ]);
    expect(normalizeRecords(recordsFromText(broken, 'bad.log')).stats).toMatchObject({
      lines: 1,
      unparsed: 1,
    });
  });
});
