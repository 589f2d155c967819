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
 *
 * After its last item write a batch puts one ledger item, pk `B#<batch id>`, sk `B`, whose `d`
 * records that the batch committed, the values it saw for its alert-path items (`alert|…`,
 * `storm|…`) and the alerts a concurrent batch had already raised. `bs` remembers only the last
 * few writers of an item, so on a hot key (a server-wide counter, a Kinesis shard's many records)
 * a late redelivery would fall out of it and count twice; the ledger recognises the redelivery
 * whatever happened to the items since, and lets it re-derive (and publish, if the first attempt
 * could not) exactly the alerts the first attempt raised.
 */
import { createHash } from 'node:crypto';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { alertStateKey } from '../engine/alerts/alert-stage.js';
import type { StateItem } from '../engine/state/items.js';
import { mergeItem } from '../engine/state/merge.js';
import type { CommitResult, StateStore, StateTransaction } from '../engine/state/port.js';
import { ItemStateView } from '../engine/state/view.js';
import { WorkingSet, type ItemChange } from '../engine/state/working-set.js';

/** Batch ids remembered per item; a redelivery older than this many later writes is not recognised. */
const BATCH_MEMORY = 8;
const SENT_MEMORY = 16;
const GET_BATCH = 100;
const WRITE_CONCURRENCY = 16;
const MAX_WRITE_ATTEMPTS = 6;
/** Keep items a day past their logical expiry so late events still find them. */
const TTL_GRACE_SECONDS = 24 * 3600;
/** A failed batch can be redriven from the DLQ for its 14-day retention: keep its ledger a day longer. */
const LEDGER_TTL_SECONDS = 15 * 24 * 3600;
/** DynamoDB items are capped at 400 KB (UTF-8 bytes of names and values); d and p together stay well below. */
const MAX_ITEM_BYTES = 180_000;
/** Bound on the alert-path values a ledger keeps; past it a redelivery sees current values for the rest. */
const MAX_LEDGER_PRE_BYTES = 100_000;
/** Partition keys are limited to 2048 bytes. */
const MAX_KEY_BYTES = 1024;

const ALERT_PREFIX = alertStateKey('');
const STORM_PREFIX = 'storm|';
const STATE_SK = 'S';
const LEDGER_SK = 'B';

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Wall clock for TTL (items replayed from old logs still live a day). @default Date.now */
  readonly now?: () => number;
}

export interface DynamoDbStoreStats {
  /** BatchGetItem and GetItem requests. */
  reads: number;
  /** UpdateItem and PutItem requests that succeeded (state items, ledgers, sent marks). */
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

/** What a committed batch left behind (the ledger item's `d`). */
interface Ledger {
  /** State items written. */
  readonly n: number;
  /** The values the batch saw for its alert-path items (null: absent). */
  readonly pre: Readonly<Record<string, string | null>>;
  /** Fingerprints a concurrent batch raised first: this batch must not publish them. */
  readonly skip: readonly string[];
}

const ABSENT: StoredMeta = { version: 0, current: null, sent: [], batches: [], appliedByThisBatch: false };

function boundedKey(prefix: string, key: string): string {
  return Buffer.byteLength(key) > MAX_KEY_BYTES ? `${prefix}h:${createHash('sha256').update(key).digest('hex')}` : `${prefix}${key}`;
}

export function stateItemPk(key: string): string {
  return boundedKey('S#', key);
}

export function ledgerPk(batchId: string): string {
  return boundedKey('B#', batchId);
}

function str(value: AttributeValue | undefined): string | undefined {
  return value?.S;
}

function list(value: AttributeValue | undefined): string[] {
  return (value?.L ?? []).map((v) => v.S).filter((s): s is string => s !== undefined);
}

function isAlertPath(key: string): boolean {
  return key.startsWith(ALERT_PREFIX) || key.startsWith(STORM_PREFIX);
}

function dedupField(item: StateItem | undefined, field: 'emittedAt' | 'rank'): unknown {
  return item?.k === 'r' ? item.v[field] : undefined;
}

function parseLedger(json: string | undefined): Ledger | undefined {
  if (json === undefined) return undefined;
  try {
    const value = JSON.parse(json) as Partial<Ledger>;
    return { n: Number(value.n ?? 0), pre: value.pre ?? {}, skip: value.skip ?? [] };
  } catch {
    return { n: 0, pre: {}, skip: [] };
  }
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

interface LoadRequest {
  readonly pk: string;
  readonly sk: string;
  /** The state key, or undefined for the batch's ledger. */
  readonly key: string | undefined;
}

class DynamoDbTransaction implements StateTransaction {
  private readonly working = new WorkingSet();
  readonly view = new ItemStateView(this.working);
  private readonly meta = new Map<string, StoredMeta>();
  private ledgerChecked = false;
  /** Set when this batch already committed (a redelivery). */
  private ledger: Ledger | undefined;
  /** Alerts a concurrent batch raised while this one ran (found while merging its dedup write). */
  private readonly raisedElsewhere = new Set<string>();

  constructor(
    private readonly options: DynamoDbStateStoreOptions,
    private readonly batchId: string,
    private readonly stats: DynamoDbStoreStats,
  ) {}

  unloadedKeys(): string[] {
    return this.working.unloadedKeys();
  }

  async load(keys: readonly string[]): Promise<void> {
    const requests: LoadRequest[] = [];
    // The ledger rides along with the first read: it decides how every item is presented.
    if (!this.ledgerChecked) requests.push({ pk: ledgerPk(this.batchId), sk: LEDGER_SK, key: undefined });
    for (const key of keys) requests.push({ pk: stateItemPk(key), sk: STATE_SK, key });
    const chunks: LoadRequest[][] = [];
    for (let i = 0; i < requests.length; i += GET_BATCH) chunks.push(requests.slice(i, i + GET_BATCH));
    const found = new Map<string, Record<string, AttributeValue>>();
    await withConcurrency(chunks, 8, (chunk) => this.loadChunk(chunk, found));
    if (!this.ledgerChecked) {
      this.ledgerChecked = true;
      const ledgerItem = found.get(`${ledgerPk(this.batchId)}\u0000${LEDGER_SK}`);
      this.ledger = parseLedger(str(ledgerItem?.d));
    }
    for (const key of keys) this.remember(key, found.get(`${stateItemPk(key)}\u0000${STATE_SK}`));
    this.working.reset();
  }

  private async loadChunk(chunk: readonly LoadRequest[], found: Map<string, Record<string, AttributeValue>>): Promise<void> {
    let request: Record<string, AttributeValue>[] = chunk.map((r) => ({ pk: { S: r.pk }, sk: { S: r.sk } }));
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB BatchGetItem: ${request.length} keys still unprocessed after retries`);
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
      const out = await this.options.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.options.tableName]: {
              Keys: request,
              ConsistentRead: true,
              ProjectionExpression: 'pk, sk, d, p, b, bs, v, sent',
            },
          },
        }),
      );
      this.stats.reads++;
      for (const item of out.Responses?.[this.options.tableName] ?? []) found.set(`${str(item.pk) ?? ''}\u0000${str(item.sk) ?? ''}`, item);
      request = (out.UnprocessedKeys?.[this.options.tableName]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
    }
  }

  private remember(key: string, item: Record<string, AttributeValue> | undefined): void {
    const committed = this.ledger !== undefined;
    const saw = this.ledger?.pre[key];
    if (!item) {
      this.working.setStored(key, saw !== undefined ? saw : null);
      this.meta.set(key, committed ? { ...ABSENT, appliedByThisBatch: true } : ABSENT);
      return;
    }
    const current = str(item.d) ?? null;
    const batches = list(item.bs);
    const written = batches.includes(this.batchId);
    // A retried batch sees what its first attempt saw: the ledger's copy for alert-path items,
    // else the value before its own write if it was the last writer, else the current value.
    let presented = current;
    if (saw !== undefined) presented = saw;
    else if (written && str(item.b) === this.batchId) presented = str(item.p) ?? null;
    this.working.setStored(key, presented);
    this.meta.set(key, {
      version: Number(item.v?.N ?? '0'),
      current,
      sent: list(item.sent),
      batches,
      appliedByThisBatch: committed || written,
    });
  }

  async commit(): Promise<CommitResult> {
    const all = this.working.changes();
    if (this.ledger !== undefined) return { writes: 0, alreadyApplied: all.length };
    let writes = 0;
    let alreadyApplied = 0;
    const changes = all.filter((change) => {
      if (this.meta.get(change.key)?.appliedByThisBatch) {
        alreadyApplied++;
        return false;
      }
      return true;
    });
    await withConcurrency(changes, WRITE_CONCURRENCY, async (change) => {
      if (await this.write(change)) writes++;
    });
    this.stats.writes += writes;
    if (all.length > 0) await this.writeLedger(all, writes);
    return { writes, alreadyApplied };
  }

  private async write(change: ItemChange): Promise<boolean> {
    const { key, loaded, next } = change;
    let meta = this.meta.get(key) ?? ABSENT;
    let value = next;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const json = JSON.stringify(value);
      if (Buffer.byteLength(json) + Buffer.byteLength(meta.current ?? '') > MAX_ITEM_BYTES) {
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
            Key: { pk: { S: stateItemPk(key) }, sk: { S: STATE_SK } },
            ConsistentRead: true,
          }),
        );
        this.stats.reads++;
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
        if (currentJson !== null) {
          const current = JSON.parse(currentJson) as StateItem;
          this.noteConcurrentAlert(key, current, loaded, next);
          value = mergeItem(current, loaded, next);
        }
      }
    }
    throw new Error(`DynamoDB state item ${key}: still conflicting after ${MAX_WRITE_ATTEMPTS} attempts`);
  }

  /**
   * Two batches running at once may both decide to raise the same alert (each saw it not raised).
   * The one whose dedup write lands second learns it here and does not publish it again, unless
   * its alert is more severe (an escalation).
   */
  private noteConcurrentAlert(key: string, current: StateItem, loaded: StateItem | undefined, next: StateItem): void {
    if (!key.startsWith(ALERT_PREFIX)) return;
    const before = dedupField(loaded, 'emittedAt');
    const raisedHere = dedupField(next, 'emittedAt') !== before;
    const raisedThere = dedupField(current, 'emittedAt') !== before;
    if (!raisedHere || !raisedThere) return;
    const theirRank = Number(dedupField(current, 'rank') ?? -1);
    const ourRank = Number(dedupField(next, 'rank') ?? 0);
    if (theirRank >= ourRank) this.raisedElsewhere.add(key.slice(ALERT_PREFIX.length));
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
      Key: { pk: { S: stateItemPk(key) }, sk: { S: STATE_SK } },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: values,
    });
  }

  private async writeLedger(changes: readonly ItemChange[], written: number): Promise<void> {
    const pre: Record<string, string | null> = {};
    let bytes = 0;
    for (const change of changes) {
      if (!isAlertPath(change.key)) continue;
      const json = change.loaded === undefined ? null : JSON.stringify(change.loaded);
      bytes += Buffer.byteLength(change.key) + Buffer.byteLength(json ?? '') + 8;
      if (bytes > MAX_LEDGER_PRE_BYTES) break;
      pre[change.key] = json;
    }
    const ledger: Ledger = { n: written, pre, skip: [...this.raisedElsewhere] };
    const nowSec = Math.floor((this.options.now ?? Date.now)() / 1000);
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            pk: { S: ledgerPk(this.batchId) },
            sk: { S: LEDGER_SK },
            d: { S: JSON.stringify(ledger) },
            ttl: { N: String(nowSec + LEDGER_TTL_SECONDS) },
          },
          // A concurrent delivery of the same batch may have committed first; its ledger stands.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      this.stats.writes++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  isPublished(fingerprint: string): boolean {
    if (this.raisedElsewhere.has(fingerprint) || this.ledger?.skip.includes(fingerprint)) return true;
    return this.meta.get(alertStateKey(fingerprint))?.sent.includes(this.batchId) ?? false;
  }

  async markPublished(fingerprint: string): Promise<void> {
    const key = alertStateKey(fingerprint);
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: stateItemPk(key) }, sk: { S: STATE_SK } },
        UpdateExpression: 'SET sent = list_append(if_not_exists(sent, :empty), :batch)',
        ExpressionAttributeValues: { ':empty': { L: [] }, ':batch': { L: [{ S: this.batchId }] } },
      }),
    );
    this.stats.writes++;
  }
}
