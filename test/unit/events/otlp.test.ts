/**
 * The `otlp` format beyond its fixture (formats.test.ts): AnyValue decoding, one bad span skipped
 * and counted without losing its line, spans that are not MCP, tool errors, client-side spans.
 */
import { describe, expect, it } from 'vitest';
import { normalizeRecords, type RawLogRecord } from '../../../functions/engine/events/normalize.js';
import { decodeAnyValue, decodeAttributes, unixNanos } from '../../../functions/engine/events/otlp-values.js';

type Attr = { key: string; value: unknown };
const s = (v: string): unknown => ({ stringValue: v });
const START = '1795514400000000000'; // 2026-11-24T10:00:00Z

function span(attributes: Attr[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: '0000000000000001',
    name: 'tools/call x',
    kind: 2,
    startTimeUnixNano: START,
    endTimeUnixNano: '1795514400012500000',
    attributes,
    ...extra,
  };
}

function traceLine(
  spans: unknown[],
  resource: Attr[] = [{ key: 'service.name', value: s('files-mcp') }],
): RawLogRecord {
  return {
    message: JSON.stringify({
      resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans }] }],
    }),
    timestamp: Date.parse('2026-11-24T10:00:01Z'),
    logGroup: '/ecs/otel-collector',
    logStream: 'collector/1',
  };
}

const call: Attr[] = [
  { key: 'mcp.method.name', value: s('tools/call') },
  { key: 'gen_ai.tool.name', value: s('read_file') },
  { key: 'mcp.session.id', value: s('s-1') },
];

describe('OTLP AnyValue decoding', () => {
  it('decodes every value kind; 64-bit integers beyond 2^53 keep their digits', () => {
    expect(decodeAnyValue({ stringValue: 'a' })).toBe('a');
    expect(decodeAnyValue({ intValue: '42' })).toBe(42);
    expect(decodeAnyValue({ intValue: 42 })).toBe(42);
    expect(decodeAnyValue({ intValue: '9223372036854775807' })).toBe('9223372036854775807');
    expect(decodeAnyValue({ intValue: '4x' })).toBeUndefined();
    expect(decodeAnyValue({ boolValue: false })).toBe(false);
    expect(decodeAnyValue({ doubleValue: 1.5 })).toBe(1.5);
    expect(decodeAnyValue({ doubleValue: 'NaN' })).toBeUndefined();
    expect(decodeAnyValue({ arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }, {}] } })).toEqual(
      ['x', 1],
    );
    expect(
      decodeAnyValue({
        kvlistValue: {
          values: [
            { key: 'path', value: { stringValue: '/etc/passwd' } },
            { key: '__proto__', value: { stringValue: 'polluted' } },
            { key: 'n', value: { arrayValue: {} } },
          ],
        },
      }),
    ).toEqual({ path: '/etc/passwd', n: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(decodeAnyValue({})).toBeUndefined();
    expect(decodeAnyValue('raw')).toBeUndefined();
  });

  it('stops at a bounded depth instead of recursing without end', () => {
    let deep: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 10_000; i++) deep = { arrayValue: { values: [deep] } };
    expect(() => decodeAnyValue(deep)).not.toThrow();
  });

  it('decodes attribute lists, skipping entries without a key', () => {
    const attrs = decodeAttributes([{ key: 'a', value: s('1') }, { value: s('2') }, 'x', { key: 'b' }]);
    expect([...attrs]).toEqual([['a', '1']]);
    expect(decodeAttributes('not a list').size).toBe(0);
  });

  it('reads nanosecond timestamps from strings and safe numbers; zero is unset', () => {
    expect(unixNanos(START)).toBe(1795514400000000000n);
    expect(unixNanos(0)).toBeUndefined();
    expect(unixNanos('0')).toBeUndefined();
    expect(unixNanos('-5')).toBeUndefined();
    expect(unixNanos('1.5e18')).toBeUndefined();
  });
});

describe('OTLP spans', () => {
  it('skips and counts one bad span, keeping the rest of the line', () => {
    const { events, stats } = normalizeRecords([
      traceLine([
        span(call),
        'not a span',
        span(call, { startTimeUnixNano: 'yesterday' }),
        span([{ key: 'mcp.method.name', value: s('tools/call') }], {
          startTimeUnixNano: '999999999999999999999',
        }),
        span(call, { spanId: '2' }),
      ]),
    ]);
    expect(events).toHaveLength(2);
    expect(stats).toMatchObject({ lines: 1, unparsed: 0, byFormat: { otlp: 1 }, itemsSkipped: 3 });
  });

  it('maps start and end to time and latency, service.name to the server', () => {
    const { events } = normalizeRecords([traceLine([span(call)])]);
    expect(events[0]?.event).toMatchObject({
      event: 'mcp.call',
      time: '2026-11-24T10:00:00.000Z',
      durationMs: 12.5,
      server: { name: 'files-mcp' },
      session: 's-1',
      tool: 'read_file',
      rpc: { method: 'tools/call' },
      trace: '5b8efff798038103d269b633813fc60c',
    });
    expect(events[0]?.origin.format).toBe('otlp');
  });

  it('ignores spans that are not MCP (HTTP, database, LLM spans of the same trace)', () => {
    const { events, stats } = normalizeRecords([
      traceLine([
        span([{ key: 'http.request.method', value: s('POST') }]),
        span([{ key: 'gen_ai.tool.name', value: s('x') }]),
      ]),
    ]);
    expect(events).toEqual([]);
    expect(stats).toMatchObject({ byFormat: { otlp: 1 }, unparsed: 0, itemsSkipped: 0 });
  });

  it('maps error.type tool_error to the result, and JSON-RPC error codes to error', () => {
    const result = JSON.stringify({
      content: [{ type: 'text', text: 'MCP error -32602: Tool x not found' }],
      isError: true,
    });
    const { events } = normalizeRecords([
      traceLine([
        span([
          ...call,
          { key: 'error.type', value: s('tool_error') },
          { key: 'gen_ai.tool.call.result', value: s(result) },
        ]),
        span([...call, { key: 'error.type', value: s('-32603') }], {
          status: { code: 2, message: 'Internal error' },
        }),
        span([...call, { key: 'error.type', value: s('timeout') }], {
          status: { code: 'STATUS_CODE_ERROR' },
        }),
      ]),
    ]);
    expect(events.map((e) => [e.event.result?.isError, e.event.error])).toEqual([
      [true, { code: -32602, message: 'Tool x not found' }],
      [undefined, { code: -32603, message: 'Internal error' }],
      [undefined, { message: 'timeout' }],
    ]);
  });

  it('reads a client-side span: server.address is the server, the service is the client', () => {
    const { events } = normalizeRecords([
      traceLine(
        [span([...call, { key: 'server.address', value: s('files.internal') }], { kind: 3 })],
        [{ key: 'service.name', value: s('claude-code') }],
      ),
    ]);
    expect(events[0]?.event.server).toEqual({ name: 'files.internal' });
    expect(events[0]?.event.client).toEqual({ name: 'claude-code' });
  });

  it('keeps attacker-sized attribute values bounded and never throws on a hostile line', () => {
    const huge = 'A'.repeat(100_000);
    const { events } = normalizeRecords([
      traceLine([
        span([
          ...call.slice(0, 1),
          { key: 'gen_ai.tool.name', value: s(huge) },
          { key: 'mcp.session.id', value: s(huge) },
        ]),
      ]),
      traceLine([{ attributes: { not: 'a list' }, startTimeUnixNano: START }]),
      { message: '{"resourceSpans":[null,{"scopeSpans":[{"spans":{}}]}]}', timestamp: 1 },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]?.event.tool?.length).toBe(512);
    expect(events[0]?.event.session?.length).toBe(512);
  });
});

describe('OTLP log records', () => {
  it('reads MCP attributes like a span, and a JSON body as another format with the record time', () => {
    const line = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: s('notes-mcp') }] },
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: START, attributes: call, body: s('tool call') },
                {
                  timeUnixNano: '0',
                  observedTimeUnixNano: '1795514401000000000',
                  body: s('{"jsonrpc":"2.0","method":"notifications/initialized"}'),
                },
                { timeUnixNano: START, body: s('plain text, not MCP') },
                { timeUnixNano: START, body: s('{"unrelated":"json"}') },
              ],
            },
          ],
        },
      ],
    };
    const { events, stats } = normalizeRecords([
      { message: JSON.stringify(line), logGroup: '/ecs/collector', logStream: 'c' },
    ]);
    expect(events.map((e) => [e.event.event, e.event.time, e.event.server?.name])).toEqual([
      ['mcp.call', '2026-11-24T10:00:00.000Z', 'notes-mcp'],
      ['mcp.notification', '2026-11-24T10:00:01.000Z', 'notes-mcp'],
    ]);
    // The collector's log stream carries many processes: no session is derived from it.
    expect(events[1]?.event.session).toBeUndefined();
    expect(stats).toMatchObject({ byFormat: { otlp: 1 }, unparsed: 0, itemsSkipped: 0 });
  });

  it('recognises metrics lines without an event, and reads only OTLP when --format otlp', () => {
    const metrics = { message: '{"resourceMetrics":[]}', timestamp: 1 };
    const canonical = { message: '{"v":1,"event":"mcp.usage","time":"2026-11-24T10:00:00Z"}' };
    const { events, stats } = normalizeRecords([metrics, canonical], { format: 'otlp' });
    expect(events).toEqual([]);
    expect(stats).toMatchObject({ byFormat: { otlp: 1 }, unparsed: 1 });
  });
});
