/**
 * Chaos harness: the real ingest handler, DynamoDB Local and fauxqs (SNS → SQS), with faults
 * injected at the AWS client boundary (a request fails, or "the process dies" — the handler throws —
 * at a chosen point). Input: the project's example logs as CloudWatch Logs subscription payloads.
 *
 * Each scenario's alerts (what the SQS subscriber really received) are compared with a clean run
 * over the same payloads in the order their batches first committed: no duplicate, no lost and no
 * false alert means the two are identical.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { gzipSync } from 'node:zlib';
import { createSnsClient } from '../../../functions/adapters/aws-clients.js';
import { DynamoDbStateStore, parseBundle } from '../../../functions/adapters/dynamodb-state-store.js';
import type { StateItem } from '../../../functions/engine/state/items.js';
import type { MetricsWriter } from '../../../functions/adapters/emf-metrics.js';
import { SnsAlertSink } from '../../../functions/adapters/sns-alert-sink.js';
import { expandInputs, readRecords } from '../../../functions/cli/input.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { Engine } from '../../../functions/engine/compile.js';
import { ALL_DETECTORS } from '../../../functions/engine/detectors/registry.js';
import { loadHandlerEngine } from '../../../functions/handlers/commons/engine-config.js';
import { createIngestHandler, type IngestResult } from '../../../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';
import { createAlertTopic, createStateTable, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { engineConfigFile } from '../../helpers/cloudwatch-payloads.js';
import { dynamoDbClient, type EmulatorEndpoints } from '../../helpers/emulators.js';

export interface Payload {
  readonly name: string;
  readonly event: { readonly awslogs: { readonly data: string } };
}

const LINES_PER_PAYLOAD = 200;

/** The example logs, each file cut into payloads of up to 200 log events (one log group per file). */
export async function examplePayloads(): Promise<Payload[]> {
  const out: Payload[] = [];
  let id = 0;
  for (const file of expandInputs(['examples/logs'])) {
    const group = `/ecs/${file.split('/').pop()?.replace(/\.[a-z]+$/, '') ?? 'x'}`;
    let part = 0;
    for await (const records of readRecords(file, LINES_PER_PAYLOAD)) {
      const payload = {
        messageType: 'DATA_MESSAGE',
        owner: '123456789012',
        logGroup: records[0]?.logGroup ?? group,
        logStream: records[0]?.logStream ?? 'stream-1',
        subscriptionFilters: ['mcp-watchtower'],
        logEvents: records.map((r) => ({ id: String(++id).padStart(20, '0'), timestamp: r.timestamp ?? Date.parse('2026-11-24T10:00:00Z'), message: r.message })),
      };
      out.push({ name: `${file}#${part++}`, event: { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } } });
    }
  }
  return out;
}

/** Decides, per request, whether it fails: throw from it to inject a fault. */
export type Fault = (command: unknown) => void;

/** A client whose `send` first asks `fault` (faults bypass the SDK's retries: a persistent failure). */
export function faulty<C extends DynamoDBClient | SNSClient>(client: C, fault: () => Fault | undefined): C {
  const send = async (command: unknown): Promise<unknown> => {
    fault()?.(command);
    return (client.send as (c: unknown) => Promise<unknown>)(command);
  };
  return new Proxy(client, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
}

export function serviceError(name: string, message = `${name} (injected)`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** What a request is, for faults that pick one kind of write. */
export function writeKind(command: unknown): 'intent' | 'bundle' | 'done' | 'claim' | 'mark-sent' | 'publish' | 'other' {
  if (command instanceof PublishCommand) return 'publish';
  if (command instanceof PutItemCommand && command.input.Item?.sk?.S === 'B') return 'intent';
  if (!(command instanceof UpdateItemCommand)) return 'other';
  const expression = command.input.UpdateExpression ?? '';
  const sk = command.input.Key?.sk?.S ?? '';
  if (sk === 'S') return 'bundle';
  if (sk === 'D') return 'done';
  if (sk.startsWith('P#') && expression.includes('st = :c')) return 'claim';
  if (sk.startsWith('P#') && expression.includes('st = :s')) return 'mark-sent';
  return 'other';
}

const silentMetrics: MetricsWriter = { addDimensions: () => 0, addMetric: () => 0, hasStoredMetrics: () => false, publishStoredMetrics: () => 0 };

let engineCache: { file: string; engine: Engine } | undefined;

/** Every detector with its defaults, as a config file (the `redrive` CLI reads the same file). */
export function chaosEngine(): { file: string; engine: Engine } {
  engineCache ??= (() => {
    const file = engineConfigFile(ALL_DETECTORS.map((d) => d.meta.id));
    return { file, engine: loadHandlerEngine(file) };
  })();
  return engineCache;
}

export type Handler = (event: unknown) => Promise<IngestResult>;

/** One deployment: a state table and a topic with an SQS subscriber. */
export class World {
  /** The current DynamoDB fault (set and cleared by scenarios). */
  dynamoFault: Fault | undefined;
  snsFault: Fault | undefined;

  private constructor(
    readonly endpoints: EmulatorEndpoints,
    readonly tableName: string,
    readonly topic: AlertTopic,
  ) {}

  static async create(endpoints: EmulatorEndpoints): Promise<World> {
    const tableName = await createStateTable(dynamoDbClient(endpoints.dynamodb));
    const topic = await createAlertTopic(endpoints.fauxqs);
    return new World(endpoints, tableName, topic);
  }

  /** A store as one Lambda execution environment holds it. */
  store(options: { readonly wrap?: (client: DynamoDBClient) => DynamoDBClient; readonly maxPublishAttempts?: number } = {}): DynamoDbStateStore {
    const raw = faulty(dynamoDbClient(this.endpoints.dynamodb), () => this.dynamoFault);
    return new DynamoDbStateStore({
      client: options.wrap ? options.wrap(raw) : raw,
      tableName: this.tableName,
      markAttempts: 3,
      ...(options.maxPublishAttempts !== undefined ? { maxPublishAttempts: options.maxPublishAttempts } : {}),
    });
  }

  /** The ingest handler of one execution environment (its own store and clients). */
  handler(store: DynamoDbStateStore = this.store()): Handler {
    const sns = faulty(createSnsClient({ endpoint: this.endpoints.fauxqs }), () => this.snsFault);
    return createIngestHandler({
      engine: chaosEngine().engine,
      store,
      sink: new SnsAlertSink({ client: sns, topicArn: this.topic.topicArn }),
      filter: new LogGroupFilter([], [], []),
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: silentMetrics,
    });
  }

  /**
   * What every state member counts, by state key: a window counter's buckets (`bucket → events`),
   * a counter map's buckets per member (`member/bucket → events`), a distinct set's members.
   */
  async counts(): Promise<Map<string, Map<string, number>>> {
    const client = dynamoDbClient(this.endpoints.dynamodb);
    const out = new Map<string, Map<string, number>>();
    const buckets = (into: Map<string, number>, prefix: string, b: readonly number[]) => {
      for (let i = 0; i + 1 < b.length; i += 2) into.set(`${prefix}${b[i] as number}`, b[i + 1] as number);
    };
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
      for (const item of page.Items ?? []) {
        if (item.sk?.S !== 'S') continue;
        for (const [key, json] of parseBundle(item.pk?.S ?? '', item).members) {
          const value = JSON.parse(json) as StateItem;
          const counted = new Map<string, number>();
          if (value.k === 'c') buckets(counted, '', value.b);
          else if (value.k === 'm') value.m.forEach((member, i) => buckets(counted, `${member}/`, value.b[i] ?? []));
          else if (value.k === 'd') for (const member of Object.keys(value.m)) counted.set(member, 1);
          else continue;
          out.set(key, counted);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  /** Every alert the subscriber received so far (drains the queue). */
  received(): Promise<Alert[]> {
    return receiveAlerts(this.endpoints.fauxqs, this.topic.queueUrl).then((r) => r.map((x) => x.alert));
  }
}

/** Alerts as comparable lines, sorted: every field the subscriber sees. */
export function alertLines(alerts: readonly Alert[]): string[] {
  return alerts.map((a) => JSON.stringify(a)).sort();
}

/** A clean run (no faults, a fresh table) over `payloads` in this order: what every chaos run must deliver. */
export async function cleanRun(endpoints: EmulatorEndpoints, payloads: readonly Payload[]): Promise<Alert[]> {
  const world = await World.create(endpoints);
  const handler = world.handler();
  for (const p of payloads) await handler(p.event);
  return world.received();
}

export interface Difference {
  readonly duplicates: string[];
  readonly lost: string[];
  readonly false: string[];
}

/** Duplicates (received more often than expected), lost (expected, not received) and false (received, not expected). */
export function compare(expected: readonly Alert[], received: readonly Alert[]): Difference {
  const want = new Map<string, number>();
  for (const line of alertLines(expected)) want.set(line, (want.get(line) ?? 0) + 1);
  const got = new Map<string, number>();
  for (const line of alertLines(received)) got.set(line, (got.get(line) ?? 0) + 1);
  const duplicates: string[] = [];
  const lost: string[] = [];
  const falseAlerts: string[] = [];
  for (const [line, n] of got) {
    const w = want.get(line) ?? 0;
    if (w === 0) falseAlerts.push(line);
    else if (n > w) duplicates.push(line);
  }
  for (const [line] of want) if (!got.has(line)) lost.push(line);
  return { duplicates, lost, false: falseAlerts };
}

/**
 * Buckets both runs hold with different counts (by state key and bucket): an event counted twice,
 * or a concurrent update lost. A bucket only one run holds is not compared: merges keep buckets
 * the other writer had pruned, and counter maps prune every 16 new members, so when a stale,
 * out-of-window bucket goes depends on the history (detection ignores such buckets either way).
 * `storm|` counters are left out: two concurrent batches that both raise an incident both count it
 * there, though only one publishes it (docs/state-table.md, "What it does not promise").
 */
export function countDifferences(merged: Map<string, Map<string, number>>, sequential: Map<string, Map<string, number>>): string[] {
  const out: string[] = [];
  for (const [key, counts] of sequential) {
    if (key.startsWith('storm|')) continue;
    const other = merged.get(key);
    for (const [bucket, n] of counts) {
      const m = other?.get(bucket);
      if (m !== undefined && m !== n) out.push(`${key} ${bucket}: ${n} sequential, ${m} merged`);
    }
  }
  return out;
}

/** How many buckets both runs hold (what countDifferences compared). */
export function sharedBuckets(merged: Map<string, Map<string, number>>, sequential: Map<string, Map<string, number>>): number {
  let n = 0;
  for (const [key, counts] of sequential) for (const bucket of counts.keys()) if (merged.get(key)?.has(bucket) === true) n++;
  return n;
}

export const NO_DIFFERENCE: Difference = { duplicates: [], lost: [], false: [] };
