/**
 * The sample lines of test/fixtures/formats/<format>.log, as CloudWatch would deliver them (log
 * group and stream of a typical deployment, one line per second from 10:00:01Z), and the exact
 * canonical events expected from them (<format>.expected.jsonl, in emission order, flush included).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourceFormat } from '../../../functions/engine/events/engine-event.js';
import type { RawLogRecord } from '../../../functions/engine/events/normalize.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/formats/', import.meta.url));

/** Line n (1-based) of a fixture is ingested at BASE_MS + n seconds. */
export const BASE_MS = Date.parse('2026-11-24T10:00:00.000Z');

export const FIXTURE_SOURCES: Readonly<Record<SourceFormat, { logGroup: string; logStream: string }>> = {
  canonical: { logGroup: '/ecs/files-mcp', logStream: 'files-mcp/files-mcp/7f3a' },
  jsonrpc: { logGroup: '/ecs/mcp-proxy', logStream: 'proxy/proxy/task-1' },
  'lambda-text': { logGroup: '/aws/lambda/weather-mcp', logStream: '2026/11/24/[$LATEST]0123456789abcdef' },
  'lambda-report': { logGroup: '/aws/lambda/weather-mcp', logStream: '2026/11/24/[$LATEST]0123456789abcdef' },
  agentgateway: { logGroup: '/ecs/agentgateway', logStream: 'agentgateway/gw/task-9' },
  'apigw-access': { logGroup: '/aws/apigateway/files-mcp-access', logStream: 'c6af9ac6_prod' },
  otlp: { logGroup: '/ecs/otel-collector', logStream: 'otel/collector/task-5' },
};

export function fixtureLines(name: string): string[] {
  return readFileSync(`${FIXTURE_DIR}${name}.log`, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

export function fixtureRecords(format: SourceFormat): RawLogRecord[] {
  const source = FIXTURE_SOURCES[format];
  return fixtureLines(format).map((message, i) => ({
    message,
    timestamp: BASE_MS + (i + 1) * 1000,
    id: `${format}.log:${i + 1}`,
    logGroup: source.logGroup,
    logStream: source.logStream,
  }));
}

export function expectedEvents(format: SourceFormat): unknown[] {
  return readFileSync(`${FIXTURE_DIR}${format}.expected.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}
