/**
 * What instrument() costs an MCP server: the same McpServer answered over InMemoryTransport with
 * and without instrumentation (writer = no-op sink, so serialization is measured but no I/O).
 * Rounds alternate which side runs first, so drift (GC, JIT, CPU frequency) hits both equally.
 *
 *   npx tsx bench/instrument-overhead.ts [calls]
 */
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { instrument } from '../packages/instrument/src/index.js';

export interface InstrumentOverhead {
  calls: number;
  baselineMsPerCall: number;
  instrumentedMsPerCall: number;
  /** Extra microseconds per tools/call exchange. */
  overheadUsPerCall: number;
  /** instrumented / baseline time per call. */
  ratio: number;
}

const ROUNDS = 10;
const WARMUP_CALLS = 300;
// A typical file-reading result: ~1.5 KB of text.
const RESULT_TEXT = 'line of a document that a tool returns to the agent\n'.repeat(30);

function benchServer(): McpServer {
  const server = new McpServer({ name: 'bench-mcp', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'read_file',
    { description: 'Read a file', inputSchema: { path: z.string(), encoding: z.string().optional() } },
    async () => ({ content: [{ type: 'text', text: RESULT_TEXT }] }),
  );
  return server;
}

async function connectedClient(instrumented: boolean): Promise<Client> {
  const server = benchServer();
  if (instrumented) instrument(server, { write: () => undefined });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'bench-client', version: '1.0.0' });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return client;
}

async function run(client: Client, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    await client.callTool({
      name: 'read_file',
      arguments: { path: `/srv/docs/file-${i % 50}.md`, encoding: 'utf8' },
    });
  }
  return performance.now() - start;
}

export async function measureInstrumentOverhead(opts: { calls?: number } = {}): Promise<InstrumentOverhead> {
  const calls = Math.max(ROUNDS, Math.floor(opts.calls ?? 5000));
  const perRound = Math.ceil(calls / ROUNDS);
  const baseline = await connectedClient(false);
  const instrumented = await connectedClient(true);
  try {
    await run(baseline, WARMUP_CALLS);
    await run(instrumented, WARMUP_CALLS);
    let baselineMs = 0;
    let instrumentedMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        baselineMs += await run(baseline, perRound);
        instrumentedMs += await run(instrumented, perRound);
      } else {
        instrumentedMs += await run(instrumented, perRound);
        baselineMs += await run(baseline, perRound);
      }
    }
    const total = perRound * ROUNDS;
    const baselineMsPerCall = baselineMs / total;
    const instrumentedMsPerCall = instrumentedMs / total;
    return {
      calls: total,
      baselineMsPerCall,
      instrumentedMsPerCall,
      overheadUsPerCall: (instrumentedMsPerCall - baselineMsPerCall) * 1000,
      ratio: instrumentedMsPerCall / baselineMsPerCall,
    };
  } finally {
    await baseline.close();
    await instrumented.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const calls = process.argv[2] ? Number(process.argv[2]) : undefined;
  measureInstrumentOverhead({ calls }).then(
    (result) => process.stdout.write(JSON.stringify(result, null, 2) + '\n'),
    (error: unknown) => {
      process.stderr.write(`instrument overhead benchmark failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
