/**
 * Child process of the bounded-memory test: one warm ingest handler (in-memory state capped small,
 * so any growth left is a leak elsewhere) fed PAYLOADS payloads whose every event has new keys —
 * server, tool, session, principal, client IP, argument names — some of them long. Prints one JSON
 * line: live heap (after a full GC) every SAMPLE_EVERY payloads.
 * Run: node --expose-gc --max-old-space-size=<small> --import tsx memory-child.ts <payloads> <eventsPerPayload> <longNameChars>
 */
import { gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { compileEngine } from '../../../functions/engine/compile.js';
import { parseEngineConfig } from '../../../functions/engine/config/build.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';
import { MemoryStateStore } from '../../../functions/engine/state/memory-store.js';
import { createIngestHandler } from '../../../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';

const PAYLOADS = Number(process.argv[2] ?? 3000);
const EVENTS = Number(process.argv[3] ?? 20);
const LONG_CHARS = Number(process.argv[4] ?? 1000);
const SAMPLE_EVERY = Math.max(1, Math.floor(PAYLOADS / 30));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const parsed = parseEngineConfig({}, ALL_DETECTORS);
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const handler = createIngestHandler({
  engine: compileEngine(parsed.config),
  store: new MemoryStateStore({ maxItems: 2000, maxBytes: 2 * 1024 * 1024 }),
  sink: { publish: async () => {} },
  filter: LogGroupFilter.from({ ownLogGroupPrefixes: [], sourceLogGroupNames: [], sourceLogGroupPrefixes: [] }),
  logger: new Logger({ logLevel: 'SILENT' }),
  metrics: { addDimensions: () => 0, addMetric: () => 0, hasStoredMetrics: () => false, publishStoredMetrics: () => 0 },
});

let seq = 0;
const base = Date.parse('2026-11-24T10:00:00Z');
function unique(prefix: string, long: boolean): string {
  seq++;
  const id = `${prefix}-${seq.toString(36)}`;
  return long ? `${id}-${'k'.repeat(LONG_CHARS + (seq % 97))}` : id;
}

function line(p: number, i: number): string {
  const long = i % 4 === 0;
  const t = new Date(base + p * 1000 + i).toISOString();
  const server = { name: unique('srv', long), version: unique('v', false) };
  const common = { v: 1, time: t, server, session: { id: unique('sess', long) }, principal: { sub: unique('user', long) }, client: { ip: `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}`, name: unique('client', long) } };
  switch (i % 4) {
    case 0:
      return JSON.stringify({ ...common, event: 'mcp.call', rpc: { method: 'tools/call', id: seq }, tool: { name: unique('tool', long) }, arguments: { [unique('arg', false)]: unique('value', long) }, result: { isError: false, text: unique('result', long) }, durationMs: 12 });
    case 1:
      return JSON.stringify({ ...common, event: 'mcp.auth', auth: { outcome: 'failure', reason: 'invalid_token' }, http: { status: 401 } });
    case 2:
      return JSON.stringify({ ...common, event: 'mcp.tools.list', tools: [{ name: unique('tool', long), description: unique('desc', true) }] });
    default:
      return JSON.stringify({ ...common, event: 'mcp.call', rpc: { method: 'resources/read', id: seq }, uri: `file:///${unique('path', long)}` });
  }
}

const samples: Array<{ payload: number; heapMB: number }> = [];
for (let p = 0; p < PAYLOADS; p++) {
  const logEvents = Array.from({ length: EVENTS }, (_, i) => ({ id: String(p * EVENTS + i), timestamp: base + p * 1000 + i, message: line(p, i) }));
  const data = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: '/aws/lambda/mcp', logStream: 's', subscriptionFilters: [], logEvents })).toString('base64');
  const result = await handler({ awslogs: { data } });
  if ((result as { status?: string }).status !== 'processed') throw new Error(`payload ${p}: ${JSON.stringify(result)}`);
  if ((p + 1) % SAMPLE_EVERY === 0) {
    gc();
    samples.push({ payload: p + 1, heapMB: Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10 });
  }
}
process.stdout.write(`${JSON.stringify({ samples })}\n`);
