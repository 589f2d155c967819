/**
 * Sources without a session get one derived from their stream (docs/log-format.md "Derived
 * sessions"), and local lines without a time take their stream's last time, else the file's —
 * counted, never dropped.
 */
import { describe, expect, it } from 'vitest';
import { normalizeRecords, type RawLogRecord } from '../../../functions/engine/events/normalize.js';

const FILE_TIME = Date.parse('2026-11-24T08:00:00.000Z');
const file = { path: 'captures/stdio.jsonl', timeMs: FILE_TIME };

const request = (id: number, path = '/srv/a.txt'): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'read_file', arguments: { path } },
  });
const response = (id: number): string =>
  JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'ok' }] } });

function local(lines: string[], source = file): RawLogRecord[] {
  return lines.map((message, i) => ({ message, id: `${source.path}:${i + 1}`, file: source }));
}

describe('derived sessions', () => {
  it('gives bare JSON-RPC lines of a log stream the stream as session', () => {
    const { events } = normalizeRecords(
      [request(1), response(1)].map((message, i) => ({
        message,
        timestamp: FILE_TIME + i,
        logGroup: '/ecs/stdio-proxy',
        logStream: 'proxy/task-1',
      })),
    );
    expect(events.map((e) => e.event.session)).toEqual(['derived:/ecs/stdio-proxy:proxy/task-1']);
  });

  it('gives bare JSON-RPC lines of a local file the file as session; two files, two sessions', () => {
    const other = { path: 'captures/other.jsonl', timeMs: FILE_TIME };
    const { events } = normalizeRecords([
      ...local([request(1), response(1)]),
      ...local([request(1), response(1)], other),
    ]);
    expect(events.map((e) => e.event.session)).toEqual([
      'derived:file:captures/stdio.jsonl',
      'derived:file:captures/other.jsonl',
    ]);
  });

  it('keeps a logged session, and derives none for HTTP wrappers or Lambda environments (many clients per stream)', () => {
    const wrapped = (extra: Record<string, unknown>, id: number): string =>
      JSON.stringify({
        direction: 'in',
        time: '2026-11-24T10:00:00Z',
        ...extra,
        message: JSON.parse(request(id)) as unknown,
      });
    const { events } = normalizeRecords(
      [
        wrapped({ session: 's-9' }, 1),
        wrapped({ transport: 'streamable-http' }, 2),
        wrapped({ transport: 'stdio' }, 3),
      ].map((message) => ({ message, timestamp: FILE_TIME, logGroup: '/ecs/proxy', logStream: 's' })),
    );
    expect(events.map((e) => [e.event.rpc?.id, e.event.session])).toEqual([
      [1, 's-9'],
      [2, undefined],
      [3, 'derived:/ecs/proxy:s'],
    ]);
    // Lambda: a console line, or a bare message in a Lambda log stream (one environment, many sessions).
    const lambda = normalizeRecords(
      [`2026-11-24T10:00:00.000Z\tc0ffee\tINFO\t${request(4)}`, request(5)].map((message) => ({
        message,
        timestamp: FILE_TIME,
        logGroup: '/aws/lambda/files-mcp',
        logStream: '2026/11/24/[$LATEST]abc',
      })),
    );
    expect(lambda.events.map((e) => [e.event.rpc?.id, e.event.session])).toEqual([
      [4, undefined],
      [5, undefined],
    ]);
  });

  it('derives no session when the stream is unknown', () => {
    const { events } = normalizeRecords([{ message: request(1), timestamp: FILE_TIME }]);
    expect(events[0]?.event.session).toBeUndefined();
  });
});

describe('lines without a timestamp', () => {
  it('take the file time until a line carries one, then the last time seen; counted', () => {
    const timed = JSON.stringify({
      direction: 'in',
      time: '2026-11-24T09:30:00.000Z',
      message: { jsonrpc: '2.0', method: 'notifications/initialized' },
    });
    const { events, stats } = normalizeRecords(
      local([request(1), response(1), timed, request(2), response(2)]),
    );
    expect(events.map((e) => [e.event.event, e.event.time])).toEqual([
      ['mcp.call', '2026-11-24T08:00:00.000Z'],
      ['mcp.notification', '2026-11-24T09:30:00.000Z'],
      ['mcp.call', '2026-11-24T09:30:00.000Z'],
    ]);
    expect(stats).toMatchObject({ lines: 5, unparsed: 0, timestampsInferred: 4 });
  });

  it('reads Lambda REPORT lines of a local file (100 % unparsed before)', () => {
    const report =
      'REPORT RequestId: 3f1c\tDuration: 12.30 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 81 MB';
    const { events, stats } = normalizeRecords(local([report, report]));
    expect(events.map((e) => [e.event.event, e.event.time, e.event.usage])).toEqual([
      ['mcp.usage', '2026-11-24T08:00:00.000Z', { memUsedMb: 81, memLimitMb: 512 }],
      ['mcp.usage', '2026-11-24T08:00:00.000Z', { memUsedMb: 81, memLimitMb: 512 }],
    ]);
    expect(stats).toMatchObject({ unparsed: 0, timestampsInferred: 2 });
  });

  it('counts nothing as inferred when CloudWatch times the lines', () => {
    const { stats } = normalizeRecords([
      { message: request(1), timestamp: FILE_TIME, logGroup: 'g', logStream: 's' },
    ]);
    expect(stats).toMatchObject({ events: 1, timestampsInferred: 0 });
  });

  it('still skips a line that nothing can time (no file, no stream, no CloudWatch time)', () => {
    const { stats } = normalizeRecords([{ message: request(1) }]);
    expect(stats).toMatchObject({ events: 0, unparsed: 1, timestampsInferred: 0 });
  });
});
