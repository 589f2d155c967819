/**
 * The engine's state port on DynamoDB (single table, see docs/state-table.md).
 *
 * Every state item is one DynamoDB item: pk `S#<state key>`, sk `S`, with
 *   d   the item JSON (what detectors see)           v   version (optimistic concurrency)
 *   b   the last batch id that wrote it               p   the item JSON before that batch wrote it
 *   bs  the last few batch ids that wrote it          ttl expiry (epoch seconds) for DynamoDB TTL
 *   sent  (alert dedup items) batch ids that published this alert
 *
 * A batch loads what it touches (BatchGetItem), runs, and commits with one conditional UpdateItem
 * per touched key. Exactly-once per batch: an item whose `bs` already holds the batch id is not
 * written again, and a retried batch is shown `p` — the value the first attempt saw — so it
 * re-derives the same findings and alerts. A write that loses a race to a concurrent batch is
 * merged three-way (engine/state/merge.ts) and retried.
 */
import { createHash } from 'node:crypto';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { alertStateKey } from '../engine/alerts/alert-stage.js';
import type { StateItem } from '../engine/state/items.js';
import { mergeItem } from '../engine/state/merge.js';
import type { CommitResult, StateStore, StateTransaction } from '../engine/state/port.js';
import { ItemStateView } from '../engine/state/view.js';
import { WorkingSet } from '../engine/state/working-set.js';

/** Batch ids remembered per item; a redelivery older than this many later writes is not recognised. */
const BATCH_MEMORY = 8;
const SENT_MEMORY = 16;
const GET_BATCH = 100;
const WRITE_CONCURRENCY = 16;
const MAX_WRITE_ATTEMPTS = 6;
/** Keep items a day past their logical expiry so late events still find them. */
const TTL_GRACE_SECONDS = 24 * 3600;
/** DynamoDB items are capped at 400 KB; d and p together must stay well below. */
const MAX_ITEM_JSON = 180_000;

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Wall clock for TTL (items replayed from old logs still live a day). @default Date.now */
  readonly now?: () => number;
}

export interface DynamoDbStoreStats {
  reads: number;
  writes: number;
  conflicts: number;
  oversized: number;
}

interface StoredMeta {
  readonly version: number;
  /** The stored `d` (current value), for the `p` of our write. */
  readonly current: string | null;
  readonly sent: readonly string[];
  /** The item's `bs`: batches that wrote it recently. */
  readonly batches: readonly string[];
  readonly appliedByThisBatch: boolean;
}

const ABSENT: StoredMeta = { version: 0, current: null, sent: [], batches: [], appliedByThisBatch: false };

export function stateItemPk(key: string): string {
  // Partition keys are limited to 2048 bytes; engine keys are short, but be safe.
  return key.length > 1024 ? `S#h:${createHash('sha256').update(key).digest('hex')}` : `S#${key}`;
}

function str(value: AttributeValue | undefined): string | undefined {
  return value?.S;
}

function list(value: AttributeValue | undefined): string[] {
  return (value?.L ?? []).map((v) => v.S).filter((s): s is string => s !== undefined);
}

async function withConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class DynamoDbStateStore implements StateStore {
  readonly stats: DynamoDbStoreStats = { reads: 0, writes: 0, conflicts: 0, oversized: 0 };

  constructor(private readonly options: DynamoDbStateStoreOptions) {}

  async begin(batchId: string): Promise<StateTransaction> {
    return new DynamoDbTransaction(this.options, batchId, this.stats);
  }
}

class DynamoDbTransaction implements StateTransaction {
  private readonly working = new WorkingSet();
  readonly view = new ItemStateView(this.working);
  private readonly meta = new Map<string, StoredMeta>();

  constructor(
    private readonly options: DynamoDbStateStoreOptions,
    private readonly batchId: string,
    private readonly stats: DynamoDbStoreStats,
  ) {}

  unloadedKeys(): string[] {
    return this.working.unloadedKeys();
  }

  async load(keys: readonly string[]): Promise<void> {
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += GET_BATCH) chunks.push(keys.slice(i, i + GET_BATCH));
    await withConcurrency(chunks, 8, (chunk) => this.loadChunk(chunk));
    this.working.reset();
  }

  private async loadChunk(keys: readonly string[]): Promise<void> {
    const byPk = new Map(keys.map((k) => [stateItemPk(k), k]));
    let request: Record<string, AttributeValue>[] = [...byPk.keys()].map((pk) => ({ pk: { S: pk }, sk: { S: 'S' } }));
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
      if (attempt > 8) throw new Error(`DynamoDB BatchGetItem: ${request.length} keys still unprocessed after retries`);
      const out = await this.options.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.options.tableName]: {
              Keys: request,
              ConsistentRead: true,
              ProjectionExpression: 'pk, d, p, b, bs, v, sent',
            },
          },
        }),
      );
      this.stats.reads++;
      for (const item of out.Responses?.[this.options.tableName] ?? []) {
        const key = byPk.get(str(item.pk) ?? '');
        if (key !== undefined) this.remember(key, item);
      }
      request = (out.UnprocessedKeys?.[this.options.tableName]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
    }
    for (const key of keys) if (!this.working.isLoaded(key)) this.remember(key, undefined);
  }

  private remember(key: string, item: Record<string, AttributeValue> | undefined): void {
    if (!item) {
      this.working.setStored(key, null);
      this.meta.set(key, ABSENT);
      return;
    }
    const current = str(item.d) ?? null;
    const batches = list(item.bs);
    const applied = batches.includes(this.batchId);
    // A retried batch sees what its first attempt saw: the value before its own write.
    const presented = applied && str(item.b) === this.batchId ? (str(item.p) ?? null) : current;
    this.working.setStored(key, presented);
    this.meta.set(key, {
      version: Number(item.v?.N ?? '0'),
      current,
      sent: list(item.sent),
      batches,
      appliedByThisBatch: applied,
    });
  }

  async commit(): Promise<CommitResult> {
    let writes = 0;
    let alreadyApplied = 0;
    const changes = this.working.changes().filter((change) => {
      if (this.meta.get(change.key)?.appliedByThisBatch) {
        alreadyApplied++;
        return false;
      }
      return true;
    });
    await withConcurrency(changes, WRITE_CONCURRENCY, async (change) => {
      if (await this.write(change.key, change.loaded, change.next)) writes++;
    });
    this.stats.writes += writes;
    return { writes, alreadyApplied };
  }

  private async write(key: string, loaded: StateItem | undefined, next: StateItem): Promise<boolean> {
    let meta = this.meta.get(key) ?? ABSENT;
    let value = next;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const json = JSON.stringify(value);
      if (json.length + (meta.current?.length ?? 0) > MAX_ITEM_JSON) {
        // Bounded primitives make this unreachable in practice; never fail the batch over it.
        this.stats.oversized++;
        return false;
      }
      try {
        await this.options.client.send(this.updateCommand(key, json, meta, value.x));
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        this.stats.conflicts++;
        const fresh = await this.options.client.send(
          new GetItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: stateItemPk(key) }, sk: { S: 'S' } },
            ConsistentRead: true,
          }),
        );
        const item = fresh.Item;
        if (item && list(item.bs).includes(this.batchId)) return false; // a concurrent redelivery applied it
        const currentJson = str(item?.d) ?? null;
        meta = {
          version: Number(item?.v?.N ?? '0'),
          current: currentJson,
          sent: list(item?.sent),
          batches: list(item?.bs),
          appliedByThisBatch: false,
        };
        if (currentJson !== null) value = mergeItem(JSON.parse(currentJson) as StateItem, loaded, next);
      }
    }
    throw new Error(`DynamoDB state item ${key}: still conflicting after ${MAX_WRITE_ATTEMPTS} attempts`);
  }

  private updateCommand(key: string, json: string, meta: StoredMeta, expiresMs: number): UpdateItemCommand {
    const nowSec = Math.floor((this.options.now ?? Date.now)() / 1000);
    const ttl = Math.max(Math.ceil(expiresMs / 1000), nowSec) + TTL_GRACE_SECONDS;
    // Remember the last few batch ids: a redelivered batch must find its own id here.
    const recent = [...meta.batches.filter((b) => b !== this.batchId), this.batchId].slice(-BATCH_MEMORY);
    const values: Record<string, AttributeValue> = {
      ':d': { S: json },
      ':b': { S: this.batchId },
      ':bs': { L: recent.map((b) => ({ S: b })) },
      ':ttl': { N: String(ttl) },
      ':v1': { N: String(meta.version + 1) },
    };
    const sets = ['d = :d', 'b = :b', 'bs = :bs', '#ttl = :ttl', 'v = :v1'];
    if (meta.current !== null) {
      values[':p'] = { S: meta.current };
      sets.push('p = :p');
    }
    if (meta.sent.length > SENT_MEMORY) {
      values[':sent'] = { L: meta.sent.slice(-SENT_MEMORY).map((b) => ({ S: b })) };
      sets.push('sent = :sent');
    }
    const condition = meta.version === 0 ? 'attribute_not_exists(v)' : 'v = :v';
    if (meta.version !== 0) values[':v'] = { N: String(meta.version) };
    return new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: { pk: { S: stateItemPk(key) }, sk: { S: 'S' } },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: values,
    });
  }

  isPublished(fingerprint: string): boolean {
    return this.meta.get(alertStateKey(fingerprint))?.sent.includes(this.batchId) ?? false;
  }

  async markPublished(fingerprint: string): Promise<void> {
    const key = alertStateKey(fingerprint);
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: stateItemPk(key) }, sk: { S: 'S' } },
        UpdateExpression: 'SET sent = list_append(if_not_exists(sent, :empty), :batch)',
        ExpressionAttributeValues: { ':empty': { L: [] }, ':batch': { L: [{ S: this.batchId }] } },
      }),
    );
    this.stats.writes++;
  }
}
