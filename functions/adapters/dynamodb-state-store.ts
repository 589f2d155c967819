/**
 * The engine's state port on DynamoDB (single table, see docs/state-table.md).
 *
 * State lives in bundles (engine/state/bundle.ts): one item per session, and 8 shard items per
 * server for its principals / IPs / tools, each holding every detector's state of its entities:
 *   pk `S#<bundle>`, sk `S`
 *   f   3 (this layout; 2 is still read)      v    version (every write is conditional on it)
 *   d   the members as JSON `{key: item}`     z    the same, deflate-raw with STATE_DICTIONARY (when larger)
 *   bs  the last 8 batches that wrote it (8 bytes of SHA-256 each, one binary value)
 *   ttl expiry (epoch seconds) for DynamoDB TTL
 *
 * A batch loads the bundles it touches (BatchGetItem), runs, and commits:
 *   1. intent  pk `B#<batch id>` sk `B`: the alerts this attempt derived (its outbox), put only if
 *              absent — the first attempt's outbox is the batch's, whatever a redelivery derives;
 *   2. one conditional UpdateItem per changed bundle (merged three-way on a lost race, skipped if
 *              its `bs` shows this batch already wrote it);
 *   3. done    sk `D`: every bundle is written (and which alerts a concurrent batch raised first).
 * A redelivery that finds `done` writes nothing and publishes the outbox; one that finds only the
 * intent (a crash mid-commit) writes the bundles still missing and publishes the outbox.
 *
 * Publishing is once per (batch, alert) through a record sk `P#<fingerprint>` under the ledger:
 * claimed with a lease before SNS is called, marked sent after, marked unpublishable when the sink
 * says it never will be (or after too many attempts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Alert } from '../engine/alerts/alert.js';
import { alertStateKey } from '../engine/alerts/alert-stage.js';
import { isUnpublishable } from '../engine/alerts/unpublishable.js';
import { bundleOf, legacyBundleOf } from '../engine/state/bundle.js';
import type { StateItem } from '../engine/state/items.js';
import { mergeItem } from '../engine/state/merge.js';
import type { CommitResult, PublishOutcome, StateStore, StateTransaction } from '../engine/state/port.js';
import { ItemStateView } from '../engine/state/view.js';
import { STATE_DICTIONARY } from './state-dictionary.js';
import { WorkingSet, type ItemChange } from '../engine/state/working-set.js';

/** Batches remembered per bundle: a crashed commit's retry recognises the bundles it wrote. */
const BATCH_MEMORY = 8;
const GET_BATCH = 100;
const WRITE_CONCURRENCY = 16;
const MAX_WRITE_ATTEMPTS = 8;
/** Keep items a day past their logical expiry so late events still find them. */
const TTL_GRACE_MS = 24 * 3600_000;
/** A failed batch can be redriven from the DLQ for its 14-day retention: keep its ledger a day longer. */
const LEDGER_TTL_SECONDS = 15 * 24 * 3600;
/** Members are compressed past this many bytes of JSON (smaller ones gain nothing). */
const COMPRESS_OVER = 200;
/** DynamoDB items are capped at 400 KB; a bundle (compressed) or ledger chunk stays below this. */
const MAX_ITEM_BYTES = 350_000;
/** Partition keys are limited to 2048 bytes. */
const MAX_KEY_BYTES = 1024;
/** How long a publish claim holds off other deliveries of the batch (Lambda retries come after ≥ 1 min). */
const LEASE_MS = 45_000;
/** Publish attempts of one alert before it is isolated as unpublishable (the batch must not fail for ever). */
const DEFAULT_MAX_PUBLISH_ATTEMPTS = 5;

const ALERT_PREFIX = alertStateKey('');
const STATE_SK = 'S';
const INTENT_SK = 'B';
const DONE_SK = 'D';
/**
 * 3: members compressed with STATE_DICTIONARY, `bs` one binary attribute of 8-byte batch tags.
 * 2 (read only): members compressed without a dictionary, `bs` a list of strings.
 */
const FORMAT = '3';
const FORMAT_2 = '2';
/** Bytes of a batch tag in `bs` (64 bits of the batch id's SHA-256). */
const TAG_BYTES = 8;

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Wall clock for TTL and publish leases. @default Date.now */
  readonly now?: () => number;
  /** Attempts to publish one alert before it is isolated as unpublishable. @default 5 */
  readonly maxPublishAttempts?: number;
  /** Attempts to mark an alert sent after the sink accepted it (backing off up to ~4 s). @default 6 */
  readonly markAttempts?: number;
  /** Largest compressed intent kept in one item; larger ones are chunked (tests lower it). @default 350000 */
  readonly intentChunkBytes?: number;
  /**
   * Read the previous layout's per-entity bundles for keys their shard does not hold yet (state
   * written before the upgrade to entity shards). Turn off once every such item expired. @default true
   */
  readonly readLegacyBundles?: boolean;
  /** Largest compressed state bundle; past it the members expiring first are dropped (tests lower it). @default 350000 */
  readonly maxBundleBytes?: number;
}

export interface DynamoDbStoreStats {
  /** BatchGetItem and GetItem requests. */
  reads: number;
  /** UpdateItem and PutItem requests that succeeded (bundles, ledgers, publish records). */
  writes: number;
  /** Bundles written. */
  bundles: number;
  conflicts: number;
  oversized: number;
}

interface Bundle {
  readonly version: number;
  readonly batches: readonly string[];
  /** Member key → item JSON. */
  readonly members: Map<string, string>;
}

const EMPTY_BUNDLE: Bundle = { version: 0, batches: [], members: new Map() };

function boundedKey(prefix: string, key: string): string {
  return Buffer.byteLength(key) > MAX_KEY_BYTES ? `${prefix}h:${createHash('sha256').update(key).digest('hex')}` : `${prefix}${key}`;
}

/** The partition key of the item holding `key` (its bundle). */
export function stateItemPk(key: string): string {
  return boundedKey('S#', bundleOf(key));
}

export function ledgerPk(batchId: string): string {
  return boundedKey('B#', batchId);
}

/** How a batch id is remembered in `bs`: 64 bits of its SHA-256, as 16 hex chars. */
export function batchTag(batchId: string): string {
  return createHash('sha256').update(batchId).digest('hex').slice(0, 2 * TAG_BYTES);
}

/** How format 2 remembered it: short ids as they are, longer ones as `batchTag`. */
function legacyBatchTag(batchId: string): string {
  return batchId.length <= 16 ? batchId : batchTag(batchId);
}

/** `bs`: format 3 packs the tags into one binary value (8 bytes each), format 2 kept a list of strings. */
function batchesOf(value: AttributeValue | undefined): string[] {
  if (value?.B !== undefined) {
    const out: string[] = [];
    for (let at = 0; at + TAG_BYTES <= value.B.length; at += TAG_BYTES) out.push(Buffer.from(value.B.subarray(at, at + TAG_BYTES)).toString('hex'));
    return out;
  }
  return (value?.L ?? []).map((v) => v.S).filter((s): s is string => s !== undefined);
}

const HEX_TAG = /^[0-9a-f]{16}$/;

function packBatches(tags: readonly string[]): Uint8Array {
  return Buffer.concat(tags.filter((t) => HEX_TAG.test(t)).map((t) => Buffer.from(t, 'hex')));
}

function compress(json: string): Uint8Array {
  return deflateRawSync(Buffer.from(json));
}

function compressState(json: string): Uint8Array {
  return deflateRawSync(Buffer.from(json), { dictionary: STATE_DICTIONARY });
}

function textOf(item: Record<string, AttributeValue>): string | undefined {
  if (item.z?.B !== undefined) {
    return (item.f?.N === FORMAT ? inflateRawSync(item.z.B, { dictionary: STATE_DICTIONARY }) : inflateRawSync(item.z.B)).toString('utf8');
  }
  return item.d?.S;
}

/** A stored bundle; an item of the earlier one-item-per-key layout reads as a bundle of itself. */
export function parseBundle(pkKey: string, item: Record<string, AttributeValue> | undefined): Bundle {
  if (item === undefined) return EMPTY_BUNDLE;
  const version = Number(item.v?.N ?? '0');
  const batches = batchesOf(item.bs);
  const text = textOf(item);
  const members = new Map<string, string>();
  if (text !== undefined) {
    if (item.f?.N === FORMAT || item.f?.N === FORMAT_2) {
      for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) members.set(key, JSON.stringify(value));
    } else members.set(pkKey, text);
  }
  return { version, batches, members };
}

/** `{"k":"c","x":123,…}`: the expiry without parsing the item. */
const EXPIRY = /^\{"k":"[a-z]","x":(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/;

function expiryOf(json: string): number {
  const m = EXPIRY.exec(json);
  return m ? Number(m[1]) : 0;
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

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

export class DynamoDbStateStore implements StateStore {
  readonly stats: DynamoDbStoreStats = { reads: 0, writes: 0, bundles: 0, conflicts: 0, oversized: 0 };
  /**
   * Alerts this execution environment delivered but could not mark sent (DynamoDB failing right
   * after SNS accepted): a retry landing here marks them instead of publishing again.
   */
  readonly deliveredUnmarked = new Set<string>();

  constructor(private readonly options: DynamoDbStateStoreOptions) {}

  async begin(batchId: string, now: number): Promise<StateTransaction> {
    return new DynamoDbTransaction(this, this.options, batchId, now, this.stats);
  }
}

/** What a batch's first attempt recorded before writing any state (the ledger's intent item). */
interface Intent {
  readonly alerts: readonly Alert[];
  /** The bundles it writes: a retry after a crash mid-commit writes only these (those still missing). */
  readonly bundles?: readonly string[];
  /** Alert-path items (`alert|…`, `storm|…`): the values it loaded and wrote, so a retry writes exactly them. */
  readonly alertPath?: Readonly<Record<string, readonly [StateItem | null, StateItem]>>;
  /** Read back from the table: an earlier or concurrent attempt's (not this attempt's own). */
  readonly recorded?: boolean;
}

/** Bound on the alert-path values an intent keeps; past it a retry re-derives the rest. */
const MAX_INTENT_ALERT_PATH_BYTES = 100_000;

function isAlertPath(key: string): boolean {
  return key.startsWith(ALERT_PREFIX) || key.startsWith('storm|');
}

class DynamoDbTransaction implements StateTransaction {
  private readonly working = new WorkingSet();
  readonly view = new ItemStateView(this.working);
  private readonly bundles = new Map<string, Bundle>();
  /** Previous-layout bundles already looked up (see loadLegacy). */
  private readonly legacyRead = new Set<string>();
  private ledgerChecked = false;
  private intent: Intent | undefined;
  /** Set when every bundle of this batch is written (a redelivery): fingerprints not to publish. */
  private done: ReadonlySet<string> | undefined;
  /** Alerts a concurrent batch raised while this one ran (found while merging its dedup write). */
  private readonly raisedElsewhere = new Set<string>();
  private readonly tag: string;
  /** This batch's tag in a format-2 `bs` list (bundles written before the upgrade). */
  private readonly legacyTag: string;
  private readonly owner = randomUUID();
  private readonly ledger: string;

  constructor(
    private readonly store: DynamoDbStateStore,
    private readonly options: DynamoDbStateStoreOptions,
    private readonly batchId: string,
    private readonly eventNow: number,
    private readonly stats: DynamoDbStoreStats,
  ) {
    this.tag = batchTag(batchId);
    this.legacyTag = legacyBatchTag(batchId);
    this.ledger = ledgerPk(batchId);
  }

  private get client(): DynamoDBClient {
    return this.options.client;
  }

  private wallNow(): number {
    return (this.options.now ?? Date.now)();
  }

  unloadedKeys(): string[] {
    return this.working.unloadedKeys();
  }

  async load(keys: readonly string[]): Promise<void> {
    const wanted = new Set<string>();
    for (const key of keys) {
      const bundle = bundleOf(key);
      if (!this.bundles.has(bundle)) wanted.add(bundle);
    }
    const requests: Record<string, AttributeValue>[] = [];
    // The ledger rides along with the first read: it decides whether this is a redelivery.
    if (!this.ledgerChecked) {
      requests.push({ pk: { S: this.ledger }, sk: { S: INTENT_SK } }, { pk: { S: this.ledger }, sk: { S: DONE_SK } });
    }
    const pkToBundle = new Map<string, string>();
    for (const bundle of wanted) {
      const pk = boundedKey('S#', bundle);
      pkToBundle.set(pk, bundle);
      requests.push({ pk: { S: pk }, sk: { S: STATE_SK } });
    }
    const found = new Map<string, Record<string, AttributeValue>>();
    const chunks: Record<string, AttributeValue>[][] = [];
    for (let i = 0; i < requests.length; i += GET_BATCH) chunks.push(requests.slice(i, i + GET_BATCH));
    await withConcurrency(chunks, 8, (chunk) => this.loadChunk(chunk, found));
    if (!this.ledgerChecked) {
      this.ledgerChecked = true;
      const intent = found.get(`${this.ledger}\u0000${INTENT_SK}`);
      if (intent !== undefined) this.intent = await this.readIntent(intent);
      const done = found.get(`${this.ledger}\u0000${DONE_SK}`);
      if (done !== undefined) this.done = new Set(done.k?.SS ?? []);
    }
    for (const [pk, bundle] of pkToBundle) {
      const parsed = parseBundle(bundle, found.get(`${pk}\u0000${STATE_SK}`));
      this.bundles.set(bundle, parsed);
      for (const [key, json] of parsed.members) if (!this.working.isLoaded(key)) this.working.setStored(key, json);
    }
    await this.loadLegacy(keys);
    for (const key of keys) {
      if (this.working.isLoaded(key)) continue;
      this.working.setStored(key, this.bundles.get(bundleOf(key))?.members.get(key) ?? null);
    }
    this.working.reset();
  }

  /**
   * Keys their shard does not hold may still sit in the previous layout's per-entity bundle
   * (state written before an upgrade): read those once per batch and take the members the shard
   * lacks. Such a value moves to its shard when the batch changes it; the old item expires by TTL.
   */
  private async loadLegacy(keys: readonly string[]): Promise<void> {
    if (this.options.readLegacyBundles === false) return;
    const wanted = new Map<string, string>();
    for (const key of keys) {
      if (this.working.isLoaded(key)) continue;
      const legacy = legacyBundleOf(key);
      if (legacy === undefined || this.legacyRead.has(legacy)) continue;
      wanted.set(boundedKey('S#', legacy), legacy);
    }
    if (wanted.size === 0) return;
    const found = new Map<string, Record<string, AttributeValue>>();
    const requests = [...wanted.keys()].map((pk) => ({ pk: { S: pk }, sk: { S: STATE_SK } }));
    const chunks: Record<string, AttributeValue>[][] = [];
    for (let i = 0; i < requests.length; i += GET_BATCH) chunks.push(requests.slice(i, i + GET_BATCH));
    await withConcurrency(chunks, 8, (chunk) => this.loadChunk(chunk, found));
    for (const [pk, legacy] of wanted) {
      this.legacyRead.add(legacy);
      const item = found.get(`${pk}\u0000${STATE_SK}`);
      if (item === undefined) continue;
      for (const [key, json] of parseBundle(legacy, item).members) if (!this.working.isLoaded(key)) this.working.setStored(key, json);
    }
  }

  private async loadChunk(chunk: readonly Record<string, AttributeValue>[], found: Map<string, Record<string, AttributeValue>>): Promise<void> {
    let request = chunk.slice();
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB BatchGetItem: ${request.length} keys still unprocessed after retries`);
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
      const out = await this.client.send(
        new BatchGetItemCommand({ RequestItems: { [this.options.tableName]: { Keys: request, ConsistentRead: true } } }),
      );
      this.stats.reads++;
      for (const item of out.Responses?.[this.options.tableName] ?? []) found.set(`${item.pk?.S ?? ''}\u0000${item.sk?.S ?? ''}`, item);
      request = (out.UnprocessedKeys?.[this.options.tableName]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
    }
  }

  private async getItem(pk: string, sk: string): Promise<Record<string, AttributeValue> | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }),
    );
    this.stats.reads++;
    return out.Item;
  }

  // ── commit ────────────────────────────────────────────────────────────────────────────────────

  async commit(outbox: readonly Alert[] = []): Promise<CommitResult> {
    const changes = this.working.changes();
    if (this.done !== undefined) {
      return { writes: 0, alreadyApplied: changes.length, alerts: this.outboxLess(this.done) };
    }
    if (this.intent === undefined && changes.length === 0 && outbox.length === 0) return { writes: 0, alreadyApplied: 0, alerts: [] };
    // 1. The outbox first: from here on, whatever happens, the batch's alerts are these.
    if (this.intent === undefined) this.intent = await this.writeIntent(outbox, changes);
    // 2. The bundles, each once; a retry (or a concurrent delivery that lost the intent race) writes
    // the first attempt's bundles only, and its alert-path items as the first attempt wrote them.
    const byBundle = new Map<string, ItemChange[]>();
    for (const change of this.retryChanges(changes)) {
      const bundle = bundleOf(change.key);
      let group = byBundle.get(bundle);
      if (group === undefined) byBundle.set(bundle, (group = []));
      group.push(change);
    }
    let writes = 0;
    let alreadyApplied = 0;
    const pending: [string, ItemChange[]][] = [];
    for (const entry of byBundle) {
      if (this.wrote(this.bundles.get(entry[0]))) alreadyApplied += entry[1].length;
      else pending.push(entry);
    }
    await withConcurrency(pending, WRITE_CONCURRENCY, async ([bundle, group]) => {
      if (await this.writeBundle(bundle, group)) writes += group.length;
      else alreadyApplied += group.length;
    });
    // 3. Done: a redelivery from now on only publishes.
    await this.writeDone();
    return { writes, alreadyApplied, alerts: this.outboxLess(this.raisedElsewhere) };
  }

  /** Alert-path keys written from a recorded intent: merged into whatever is stored now. */
  private readonly replayed = new Set<string>();

  private retryChanges(changes: readonly ItemChange[]): readonly ItemChange[] {
    const intent = this.intent;
    if (intent?.bundles === undefined || intent.recorded !== true) return changes;
    const allowed = new Set(intent.bundles);
    const recorded = intent.alertPath ?? {};
    const out: ItemChange[] = [];
    for (const change of changes) {
      if (!allowed.has(bundleOf(change.key)) || Object.hasOwn(recorded, change.key)) continue;
      out.push(change);
    }
    for (const [key, [loaded, next]] of Object.entries(recorded)) {
      this.replayed.add(key);
      out.push({ key, loaded: loaded ?? undefined, next });
    }
    return out;
  }

  private outboxLess(skip: ReadonlySet<string>): readonly Alert[] {
    const alerts = this.intent?.alerts ?? [];
    return alerts.filter((a) => !skip.has(a.fingerprint) && !this.raisedElsewhere.has(a.fingerprint));
  }

  private async writeIntent(outbox: readonly Alert[], changes: readonly ItemChange[]): Promise<Intent> {
    const bundles = [...new Set(changes.map((c) => bundleOf(c.key)))];
    const alertPath: Record<string, readonly [StateItem | null, StateItem]> = {};
    let bytes = 0;
    for (const change of changes) {
      if (!isAlertPath(change.key)) continue;
      const entry = [change.loaded ?? null, change.next] as const;
      bytes += change.key.length + JSON.stringify(entry).length;
      if (bytes > MAX_INTENT_ALERT_PATH_BYTES) break;
      alertPath[change.key] = entry;
    }
    const mine: Intent = { alerts: outbox, bundles, alertPath };
    const body = compress(JSON.stringify(mine));
    const item: Record<string, AttributeValue> = { pk: { S: this.ledger }, sk: { S: INTENT_SK }, ttl: { N: String(this.ledgerTtl()) } };
    const chunk = this.options.intentChunkBytes ?? MAX_ITEM_BYTES;
    if (body.length <= chunk) item.z = { B: body };
    else {
      // An outbox past one item's size (a storm of large alerts): chunks under a nonce, so a
      // concurrent delivery's chunks can never mix with ours; the intent names the nonce.
      const nonce = randomUUID().slice(0, 8);
      let n = 0;
      for (let at = 0; at < body.length; at += chunk, n++) {
        await this.client.send(
          new PutItemCommand({
            TableName: this.options.tableName,
            Item: { pk: { S: this.ledger }, sk: { S: `B:${nonce}:${n}` }, z: { B: body.subarray(at, at + chunk) }, ttl: item.ttl as AttributeValue },
          }),
        );
        this.stats.writes++;
      }
      item.c = { S: `${nonce}:${n}` };
    }
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.options.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      this.stats.writes++;
      return mine;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A concurrent delivery of this batch recorded its outbox first: that one is the batch's.
      const theirs = await this.getItem(this.ledger, INTENT_SK);
      if (theirs === undefined) throw new Error(`ledger of batch ${this.batchId} vanished`);
      return this.readIntent(theirs);
    }
  }

  private async readIntent(item: Record<string, AttributeValue>): Promise<Intent> {
    let body: Uint8Array | undefined = item.z?.B;
    const chunked = item.c?.S;
    if (chunked !== undefined) {
      const [nonce, count] = chunked.split(':');
      const parts: Uint8Array[] = [];
      for (let i = 0; i < Number(count); i++) {
        const part = await this.getItem(this.ledger, `B:${nonce}:${i}`);
        if (part?.z?.B === undefined) throw new Error(`ledger chunk ${i} of batch ${this.batchId} missing`);
        parts.push(part.z.B);
      }
      body = Buffer.concat(parts);
    }
    if (body === undefined) return { alerts: [], recorded: true };
    const parsed = JSON.parse(inflateRawSync(body).toString('utf8')) as Intent;
    return { ...parsed, alerts: parsed.alerts ?? [], recorded: true };
  }

  private async writeDone(): Promise<void> {
    const values: Record<string, AttributeValue> = { ':ttl': { N: String(this.ledgerTtl()) } };
    let expression = 'SET #ttl = :ttl';
    if (this.raisedElsewhere.size > 0) {
      values[':k'] = { SS: [...this.raisedElsewhere] };
      expression += ' ADD k :k';
    }
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: this.ledger }, sk: { S: DONE_SK } },
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: values,
      }),
    );
    this.stats.writes++;
  }

  private ledgerTtl(): number {
    return Math.floor(this.wallNow() / 1000) + LEDGER_TTL_SECONDS;
  }

  /** Whether this batch is among the bundle's recent writers. */
  private wrote(bundle: Bundle | undefined): boolean {
    return bundle !== undefined && (bundle.batches.includes(this.tag) || bundle.batches.includes(this.legacyTag));
  }

  /** Writes one bundle with this batch's changes; false when it was already written by this batch. */
  private async writeBundle(bundle: string, changes: readonly ItemChange[]): Promise<boolean> {
    let base = this.bundles.get(bundle) ?? EMPTY_BUNDLE;
    let members = new Map(base.members);
    for (const change of changes) {
      const stored = this.replayed.has(change.key) ? base.members.get(change.key) : undefined;
      const value = stored !== undefined ? mergeItem(JSON.parse(stored) as StateItem, change.loaded, change.next) : change.next;
      members.set(change.key, JSON.stringify(value));
    }
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      try {
        const written = await this.putBundle(bundle, base, members);
        if (written) {
          this.stats.writes++;
          this.stats.bundles++;
        }
        return written;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        this.stats.conflicts++;
        const fresh = await this.getItem(boundedKey('S#', bundle), STATE_SK);
        const current = parseBundle(bundle, fresh);
        if (this.wrote(current)) return false; // a concurrent delivery of this batch wrote it
        base = current;
        members = new Map(current.members);
        for (const change of changes) {
          const json = current.members.get(change.key);
          const now = json !== undefined ? (JSON.parse(json) as StateItem) : undefined;
          if (now !== undefined) this.noteConcurrentAlert(change.key, now, change.loaded, change.next);
          members.set(change.key, JSON.stringify(now !== undefined ? mergeItem(now, change.loaded, change.next) : change.next));
        }
      }
    }
    throw new Error(`DynamoDB state bundle ${bundle}: still conflicting after ${MAX_WRITE_ATTEMPTS} attempts`);
  }

  private async putBundle(bundle: string, base: Bundle, members: Map<string, string>): Promise<boolean> {
    // Members long expired (by event time) leave the bundle as it is rewritten.
    let maxExpiry = 0;
    let parts: { x: number; text: string }[] = [];
    for (const [key, json] of members) {
      const x = expiryOf(json);
      if (x !== 0 && x + TTL_GRACE_MS < this.eventNow && members.size > 1) continue;
      if (x > maxExpiry) maxExpiry = x;
      parts.push({ x, text: `${JSON.stringify(key)}:${json}` });
    }
    let json = `{${parts.map((p) => p.text).join(',')}}`;
    const values: Record<string, AttributeValue> = {};
    let body: string;
    if (json.length > COMPRESS_OVER) {
      const limit = this.options.maxBundleBytes ?? MAX_ITEM_BYTES;
      let z = compressState(json);
      if (z.length > limit) {
        // A shard of a server's entities can outgrow an item under a storm of distinct principals
        // or IPs. Drop the members that expire first (the oldest activity) until it fits, rather
        // than the whole write: counted, and never a failed batch.
        this.stats.oversized++;
        parts = parts.slice().sort((a, b) => a.x - b.x);
        while (z.length > limit && parts.length > 1) {
          parts = parts.slice(Math.max(1, Math.ceil(parts.length * (1 - limit / z.length) + parts.length * 0.05)));
          json = `{${parts.map((p) => p.text).join(',')}}`;
          z = compressState(json);
        }
        if (z.length > limit) return false;
      }
      values[':z'] = { B: z };
      body = 'z = :z REMOVE d';
    } else {
      values[':d'] = { S: json };
      body = 'd = :d REMOVE z';
    }
    const nowSec = Math.floor(this.wallNow() / 1000);
    const ttl = Math.max(Math.ceil(maxExpiry / 1000), nowSec) + TTL_GRACE_MS / 1000;
    const recent = [...base.batches.filter((b) => b !== this.tag && HEX_TAG.test(b)), this.tag].slice(-BATCH_MEMORY);
    values[':f'] = { N: FORMAT };
    values[':bs'] = { B: packBatches(recent) };
    values[':ttl'] = { N: String(ttl) };
    values[':v1'] = { N: String(base.version + 1) };
    const [assign, remove] = body.split(' REMOVE ');
    const condition = base.version === 0 ? 'attribute_not_exists(v)' : 'v = :v';
    if (base.version !== 0) values[':v'] = { N: String(base.version) };
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: boundedKey('S#', bundle) }, sk: { S: STATE_SK } },
        // Old one-item-per-key attributes (p: pre-image, b, sent) go as the item is rewritten.
        UpdateExpression: `SET f = :f, ${assign as string}, bs = :bs, #ttl = :ttl, v = :v1 REMOVE ${remove as string}, p, b, sent`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  }

  /**
   * Two batches running at once may both decide to raise the same alert (each saw it not raised).
   * The one whose dedup write lands second learns it here and does not publish it again, unless
   * its alert is more severe (an escalation).
   */
  private noteConcurrentAlert(key: string, current: StateItem, loaded: StateItem | undefined, next: StateItem): void {
    if (!key.startsWith(ALERT_PREFIX)) return;
    const field = (item: StateItem | undefined, name: string): unknown => (item?.k === 'r' ? item.v[name] : undefined);
    const before = field(loaded, 'emittedAt');
    const raisedHere = field(next, 'emittedAt') !== before;
    const raisedThere = field(current, 'emittedAt') !== before;
    if (!raisedHere || !raisedThere) return;
    const theirRank = Number(field(current, 'rank') ?? -1);
    const ourRank = Number(field(next, 'rank') ?? 0);
    if (theirRank >= ourRank) this.raisedElsewhere.add(key.slice(ALERT_PREFIX.length));
  }

  // ── publishing once ───────────────────────────────────────────────────────────────────────────

  async publishOnce(alert: Alert, publish: () => Promise<void>): Promise<PublishOutcome> {
    const sk = `P#${alert.fingerprint}`;
    const memo = `${this.ledger}\u0000${sk}`;
    if (this.store.deliveredUnmarked.has(memo)) {
      // This environment's earlier attempt delivered it and could not record that: record it now.
      await this.markSent(sk, undefined);
      this.store.deliveredUnmarked.delete(memo);
      return { status: 'already' };
    }
    const claim = await this.claim(sk);
    if (claim.status !== 'claimed') return claim.status === 'already' ? { status: 'already' } : { status: 'unpublishable', reason: claim.reason };
    const maxAttempts = this.options.maxPublishAttempts ?? DEFAULT_MAX_PUBLISH_ATTEMPTS;
    try {
      await publish();
    } catch (error) {
      if (isUnpublishable(error)) {
        await this.markUnpublishable(sk, error.message);
        return { status: 'unpublishable', reason: error.message };
      }
      if (claim.attempts >= maxAttempts) {
        const reason = `failed ${claim.attempts} publish attempts, the last: ${error instanceof Error ? error.message : String(error)}`;
        await this.markUnpublishable(sk, reason);
        return { status: 'unpublishable', reason };
      }
      await this.release(sk);
      throw error;
    }
    try {
      await this.markSent(sk, this.owner);
    } catch (error) {
      if (this.store.deliveredUnmarked.size >= 10_000) this.store.deliveredUnmarked.clear();
      this.store.deliveredUnmarked.add(memo);
      throw error;
    }
    return { status: 'published' };
  }

  private async claim(
    sk: string,
  ): Promise<{ status: 'claimed'; attempts: number } | { status: 'already' } | { status: 'unpublishable'; reason: string }> {
    const now = this.wallNow();
    for (let wait = 0; ; wait++) {
      try {
        const out = await this.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: this.ledger }, sk: { S: sk } },
            UpdateExpression: 'SET st = :c, o = :o, u = :u, #ttl = :ttl ADD a :one',
            ConditionExpression: 'attribute_not_exists(st) OR (st = :c AND u < :now)',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':c': { S: 'c' },
              ':o': { S: this.owner },
              ':u': { N: String(this.wallNow() + LEASE_MS) },
              ':now': { N: String(this.wallNow()) },
              ':one': { N: '1' },
              ':ttl': { N: String(this.ledgerTtl()) },
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        this.stats.writes++;
        return { status: 'claimed', attempts: Number(out.Attributes?.a?.N ?? '1') };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const record = await this.getItem(this.ledger, sk);
      const st = record?.st?.S;
      if (st === 's') return { status: 'already' };
      if (st === 'x') return { status: 'unpublishable', reason: record?.r?.S ?? 'unpublishable' };
      // Another delivery holds the claim: it is publishing right now (milliseconds) or died
      // holding it. Wait briefly; if still held, fail so the redelivery settles it.
      if (wait >= 4 || this.wallNow() - now > 3000) {
        throw new Error(`alert ${sk.slice(2)} of batch ${this.batchId} is being published by another delivery; retry later`);
      }
      await sleep(100 * 2 ** wait);
    }
  }

  private async markSent(sk: string, owner: string | undefined): Promise<void> {
    const attempts = this.options.markAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: this.ledger }, sk: { S: sk } },
            UpdateExpression: 'SET st = :s, #ttl = :ttl REMOVE u',
            // Our claim, or (a memoised delivery) anyone's that is not final yet.
            ConditionExpression: owner !== undefined ? 'o = :o' : 'attribute_not_exists(st) OR st = :c',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':s': { S: 's' },
              ':ttl': { N: String(this.ledgerTtl()) },
              ...(owner !== undefined ? { ':o': { S: owner } } : { ':c': { S: 'c' } }),
            },
          }),
        );
        this.stats.writes++;
        return;
      } catch (error) {
        // Our lease expired and someone else took over: they publish (a duplicate only if we were slower than the lease).
        if (isConditionFailure(error)) return;
        if (attempt >= attempts) throw error;
        await sleep(Math.min(2000, 50 * 2 ** attempt));
      }
    }
  }

  private async markUnpublishable(sk: string, reason: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: this.ledger }, sk: { S: sk } },
        UpdateExpression: 'SET st = :x, r = :r REMOVE u',
        ExpressionAttributeValues: { ':x': { S: 'x' }, ':r': { S: reason.slice(0, 300) } },
      }),
    );
    this.stats.writes++;
  }

  /** Gives the claim up after a failed publish, so the redelivery need not wait for the lease. */
  private async release(sk: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: this.ledger }, sk: { S: sk } },
          UpdateExpression: 'SET u = :zero',
          ConditionExpression: 'o = :o AND st = :c',
          ExpressionAttributeValues: { ':zero': { N: '0' }, ':o': { S: this.owner }, ':c': { S: 'c' } },
        }),
      );
      this.stats.writes++;
    } catch {
      // Best effort: the lease expires by itself.
    }
  }

  // ── the older port, for callers that publish themselves ──────────────────────────────────────

  isPublished(_fingerprint: string): boolean {
    return false;
  }

  async markPublished(fingerprint: string): Promise<void> {
    await this.markSent(`P#${fingerprint}`, undefined);
  }
}
