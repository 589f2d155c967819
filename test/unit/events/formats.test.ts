/**
 * Every registered source format (functions/engine/events/formats/registry.ts): the sample lines of test/fixtures/formats/ normalize to exactly the expected
 * canonical events (docs/log-format.md "How each source format is mapped"), every event passes both
 * McpEventSchema and the fast check, and what cannot be read is counted, never thrown.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalProblem } from '../../../functions/engine/events/canonical.js';
import type { SourceFormat } from '../../../functions/engine/events/engine-event.js';
import {
  Normalizer,
  normalizeRecords,
  SOURCE_FORMATS,
  type RawLogRecord,
} from '../../../functions/engine/events/normalize.js';
import { FORMAT_REGISTRY } from '../../../functions/engine/events/formats/registry.js';
import { McpEventSchema } from '../../../functions/engine/events/schema.js';
import { BASE_MS, expectedEvents, FIXTURE_DIR, fixtureLines, fixtureRecords } from './format-fixtures.js';

/** Lines, events and unparsed lines of each fixture (the counts the expected files must match). */
const COUNTS: Record<SourceFormat, { lines: number; events: number; unparsed: number }> = {
  canonical: { lines: 14, events: 12, unparsed: 3 },
  jsonrpc: { lines: 29, events: 19, unparsed: 1 },
  'lambda-text': { lines: 12, events: 7, unparsed: 4 },
  'lambda-report': { lines: 10, events: 4, unparsed: 2 },
  agentgateway: { lines: 12, events: 10, unparsed: 0 },
  'apigw-access': { lines: 8, events: 6, unparsed: 1 },
  otlp: { lines: 6, events: 11, unparsed: 1 },
};

describe('the format registry', () => {
  it('names each format once, and SOURCE_FORMATS is the registry in detection order', () => {
    const names = FORMAT_REGISTRY.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(SOURCE_FORMATS).toEqual(names);
    expect(Object.keys(COUNTS).sort()).toEqual([...names].sort());
  });

  it.each(FORMAT_REGISTRY.map((f) => [f.name, f] as const))(
    '%s has a fixture, and its detect accepts the fixture lines the Normalizer counts under it',
    (name, format) => {
      expect(existsSync(`${FIXTURE_DIR}${name}.log`)).toBe(true);
      expect(existsSync(`${FIXTURE_DIR}${name}.expected.jsonl`)).toBe(true);
      const detected = fixtureLines(name).filter((line) => {
        const text = line.trim();
        let value: unknown = text;
        if (text.startsWith('{') || text.startsWith('[')) {
          try {
            value = JSON.parse(text) as unknown;
          } catch {
            value = text;
          }
        }
        return format.detect(value as never);
      });
      expect(detected.length).toBeGreaterThan(0);
    },
  );
});

describe.each(FORMAT_REGISTRY.map((f) => f.name))('%s fixture', (format) => {
  const { events, stats } = normalizeRecords(fixtureRecords(format));

  it('normalizes to exactly the expected events', () => {
    expect(events.map((e) => e.event)).toEqual(expectedEvents(format));
  });

  it('counts lines, events and unparsed lines', () => {
    const { lines, unparsed } = COUNTS[format];
    expect({
      lines: stats.lines,
      events: stats.events,
      unparsed: stats.unparsed,
      byFormat: stats.byFormat,
    }).toEqual({
      ...COUNTS[format],
      byFormat: { [format]: lines - unparsed },
    });
    expect(events.length).toBe(COUNTS[format].events);
  });

  it('emits only events valid for McpEventSchema and the fast check, with ts = time', () => {
    for (const e of events) {
      expect(McpEventSchema.safeParse(e.event).error).toBeUndefined();
      expect(canonicalProblem(e.event)).toBeUndefined();
      expect(e.ts).toBe(Date.parse(e.event.time));
      expect(e.origin.format).toBe(format);
    }
  });

  it('keeps the origin of each event: the line it came from', () => {
    const ids = new Set(fixtureRecords(format).map((r) => r.id));
    for (const e of events) {
      expect(ids.has(e.origin.id)).toBe(true);
      expect(e.origin.logGroup).toBe(fixtureRecords(format)[0]?.logGroup);
    }
  });

  it('reads the same lines when the format is named instead of detected', () => {
    const forced = normalizeRecords(fixtureRecords(format), { format });
    expect(forced.events.map((e) => e.event)).toEqual(expectedEvents(format));
    expect(forced.stats.unparsed).toBe(COUNTS[format].unparsed);
  });
});

describe('a named format reads only its own lines', () => {
  it('counts the other formats as unparsed', () => {
    const records = SOURCE_FORMATS.flatMap((f) => fixtureRecords(f));
    const { stats } = normalizeRecords(records, { format: 'agentgateway' });
    expect(stats.byFormat).toEqual({ agentgateway: 12 });
    expect(stats.unparsed).toBe(records.length - 12);
  });
});

describe('origins', () => {
  it('pairs a request and response into one event that points at the request line', () => {
    const { events } = normalizeRecords(fixtureRecords('jsonrpc'));
    const call = events.find((e) => e.event.tool === 'read_file');
    expect(call?.origin).toEqual({
      format: 'jsonrpc',
      logGroup: '/ecs/mcp-proxy',
      logStream: 'proxy/proxy/task-1',
      id: 'jsonrpc.log:6',
    });
  });

  it('counts wrapped lines under the wrapper (lambda-text), whatever they wrap', () => {
    const { events } = normalizeRecords(fixtureRecords('lambda-text'));
    expect(new Set(events.map((e) => e.origin.format))).toEqual(new Set(['lambda-text']));
  });
});

describe('agentgateway headers', () => {
  it('keeps only the fingerprint of the bearer token, never the token or other headers', () => {
    const { events } = normalizeRecords(fixtureRecords('agentgateway'));
    const withHeaders = events[1]?.event;
    const token = 'test-token-not-a-secret-0001';
    expect(withHeaders?.principal).toEqual({
      tokenPresent: true,
      tokenFp: createHash('sha256').update(token).digest('hex').slice(0, 16),
    });
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain('text/event-stream');
  });
});

function record(message: string, extra: Partial<RawLogRecord> = {}): RawLogRecord {
  return { message, timestamp: BASE_MS, logGroup: '/aws/lambda/files-mcp', logStream: 's', ...extra };
}

describe('malformed input', () => {
  it('counts every line of malformed.log as unparsed and never throws', () => {
    const lines = fixtureLines('malformed');
    const { events, stats } = normalizeRecords(lines.map((m) => record(m)));
    expect(events).toEqual([]);
    expect(stats).toMatchObject({ lines: lines.length, events: 0, unparsed: lines.length, byFormat: {} });
    expect(lines.length).toBe(26);
  });

  it('survives binary garbage, a 1 MB line and deeply nested JSON', () => {
    let garbage = '';
    let seed = 7;
    for (let i = 0; i < 4096; i++) {
      seed = (seed * 48271) % 2147483647;
      garbage += String.fromCharCode(seed % 256);
    }
    const megabyteText = 'x'.repeat(1024 * 1024);
    const megabyteJson = `{"v":1,"event":"mcp.call","time":"2026-11-24T10:00:00Z","arguments":{"blob":"${'A'.repeat(1024 * 1024)}"}}`;
    const deepArray = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const deepCanonical = `{"v":1,"event":"mcp.call","time":"2026-11-24T10:00:00Z","arguments":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    const truncatedDeep = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${'{"a":'.repeat(100_000)}`;
    const { events, stats } = normalizeRecords(
      [
        garbage,
        `{${garbage}`,
        `2026-11-24T10:00:00.000Z\tid\tINFO\t{${garbage}`,
        megabyteText,
        megabyteJson,
        deepArray,
        deepCanonical,
        truncatedDeep,
      ].map((m) => record(m)),
    );
    // Nesting deeper than MAX_JSON_DEPTH is skipped and counted, not parsed (json-depth.ts).
    expect(stats).toMatchObject({ lines: 8, unparsed: 7, tooDeep: 3, byFormat: { canonical: 1 } });
    expect(events.map((e) => e.event.event)).toEqual(['mcp.call']);
    expect((events[0]?.event.arguments as { blob: string }).blob.length).toBe(1024 * 1024);
  });

  it('keeps at most 5 unparsed samples, each at most 200 characters, secrets redacted', () => {
    const key = 'AKIA' + 'IOSFODNN7EXAMPLE';
    const lines = [
      `cannot read ${key} here`,
      'x'.repeat(5000),
      'bell \u0007 char',
      'four',
      'five',
      'six',
      'seven',
    ];
    const { stats } = normalizeRecords(lines.map((m) => record(m)));
    expect(stats.unparsed).toBe(7);
    expect(stats.unparsedSamples).toHaveLength(5);
    for (const sample of stats.unparsedSamples) expect(sample.length).toBeLessThanOrEqual(200);
    expect(stats.unparsedSamples[0]).not.toContain(key);
    expect(stats.unparsedSamples[0]).toContain('[REDACTED');
    expect(stats.unparsedSamples[2]).toBe('bell \uFFFD char');
    expect(stats.unparsedSamples.slice(3)).toEqual(['four', 'five']);
  });

  it('counts a record whose message is not a string', () => {
    const normalizer = new Normalizer();
    normalizer.push({ message: 42 as unknown as string });
    normalizer.push({ message: '' });
    expect(normalizer.stats).toMatchObject({ lines: 2, unparsed: 2, events: 0 });
  });

  it('skips a line it cannot time (no time in the line, no CloudWatch timestamp)', () => {
    const { stats } = normalizeRecords([
      { message: '{"jsonrpc":"2.0","method":"notifications/initialized"}' },
      { message: 'REPORT RequestId: r\tDuration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB' },
    ]);
    expect(stats).toMatchObject({ lines: 2, events: 0, unparsed: 2 });
  });

  it('treats leading and trailing whitespace (CloudWatch keeps the newline) as nothing', () => {
    const { events } = normalizeRecords([
      record('  {"v":1,"event":"mcp.usage","time":"2026-11-24T10:00:00Z"}\n'),
    ]);
    expect(events.map((e) => e.event.event)).toEqual(['mcp.usage']);
  });
});
