/**
 * The DynamoDB state store on DynamoDB Local, driven by the real pipeline: state carries across
 * batches, a redelivered batch neither double-counts nor double-alerts (also after other batches
 * rewrote its items), concurrent batches merge, and one incident raised by two concurrent batches
 * is published once.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchTag, DynamoDbStateStore } from '../../../functions/adapters/dynamodb-state-store.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { AlertSink } from '../../../functions/engine/alerts/sink.js';
import type { Engine } from '../../../functions/engine/compile.js';
import { runBatch } from '../../../functions/engine/pipeline.js';
import { bundleOf, ENTITY_SHARDS } from '../../../functions/engine/state/bundle.js';
import { counterTotal, createStateTable, readStateItem } from '../../helpers/aws-fixtures.js';
import { dynamoDbClient, emulators } from '../../helpers/emulators.js';
import { overlappingClient } from '../../helpers/overlapping-client.js';
import { buildEngine, CollectingSink, mcpEvent, type EventInput } from '../../helpers/engine-harness.js';

const ID = 'AUTH-BRUTE-FORCE';
const IP = '203.0.113.7';
const COUNTER = `${ID}|files-mcp|token|ip|${IP}`;

function failure(time: number, overrides: Partial<EventInput> = {}) {
  return mcpEvent({
    event: 'mcp.auth',
    time,
    server: { name: 'files-mcp' },
    client: { ip: IP },
    principal: { tokenPresent: true },
    auth: { outcome: 'failure', reason: 'invalid_token' },
    ...overrides,
  });
}

/** Fails its `failOn`-th publish (1-based), then works. */
class FlakySink implements AlertSink {
  readonly alerts: Alert[] = [];
  private calls = 0;
  constructor(private readonly failOn: number) {}
  async publish(alert: Alert): Promise<void> {
    this.calls++;
    if (this.calls === this.failOn) throw new Error('SNS unavailable');
    this.alerts.push(alert);
  }
}

let endpoint: string;
let engine: Engine;

beforeAll(async () => {
  endpoint = (await emulators()).dynamodb;
  engine = buildEngine({ only: [ID] });
});

async function freshStore(): Promise<{ store: DynamoDbStateStore; tableName: string; client: ReturnType<typeof dynamoDbClient> }> {
  const client = dynamoDbClient(endpoint);
  const tableName = await createStateTable(client);
  return { store: new DynamoDbStateStore({ client, tableName }), tableName, client };
}

describe('DynamoDbStateStore on DynamoDB Local', () => {
  it('carries a window across batches and alerts once at the threshold', async () => {
    const { store, tableName, client } = await freshStore();
    const sink = new CollectingSink();
    const first = await runBatch(engine, { batchId: 'b1', events: [0, 30, 60].map((t) => failure(t)) }, { store, sink });
    expect(first.alerts).toHaveLength(0);
    expect(first.stateWrites).toBe(1);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(3);

    const second = await runBatch(engine, { batchId: 'b2', events: [90, 120, 150].map((t) => failure(t)) }, { store, sink });
    expect(sink.alerts.map((a) => [a.detector, a.severity, a.server, a.count])).toEqual([[ID, 'high', 'files-mcp', 2]]);
    expect(second.published).toBe(1);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(6);
  });

  it('a redelivered batch changes nothing and publishes nothing again', async () => {
    const { store, tableName, client } = await freshStore();
    const sink = new CollectingSink();
    const events = [0, 10, 20, 30, 40].map((t) => failure(t));
    const first = await runBatch(engine, { batchId: 'same', events }, { store, sink });
    expect(first.published).toBe(1);
    const before = await readStateItem(client, tableName, COUNTER);

    const again = await runBatch(engine, { batchId: 'same', events }, { store, sink });
    expect(again.published).toBe(0);
    expect(again.stateWrites).toBe(0);
    expect(again.alreadyApplied).toBeGreaterThan(0);
    // The redelivery's alerts are the first attempt's (its recorded outbox), not a re-derivation...
    expect(again.alerts).toEqual(first.alerts);
    // ...but it is published once, and the counter is untouched.
    expect(sink.alerts).toHaveLength(1);
    const after = await readStateItem(client, tableName, COUNTER);
    expect(counterTotal(after)).toBe(5);
    expect(after.version).toBe(before.version);
  });

  it('a batch whose publish failed publishes on redelivery, exactly once', async () => {
    const { store, tableName, client } = await freshStore();
    const other = failure(0, { client: { ip: '198.51.100.9' } });
    // Two incidents in one batch: the first publish succeeds, the second fails.
    const events = [0, 10, 20, 30, 40].flatMap((t) => [failure(t), { ...other, ts: other.ts + t * 1000 }]);
    const sink = new FlakySink(2);
    await expect(runBatch(engine, { batchId: 'flaky', events }, { store, sink })).rejects.toThrow('SNS unavailable');
    expect(sink.alerts).toHaveLength(1);

    const retry = await runBatch(engine, { batchId: 'flaky', events }, { store, sink });
    expect(retry.published).toBe(1);
    expect(sink.alerts).toHaveLength(2);
    expect(new Set(sink.alerts.map((a) => a.fingerprint)).size).toBe(2);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(5);
  });

  it('recognises a late redelivery after many other batches rewrote the same items (hot keys)', async () => {
    const { store, tableName, client } = await freshStore();
    const events = [0, 10, 20, 30, 40].map((t) => failure(t));
    const flaky = new FlakySink(1);
    await expect(runBatch(engine, { batchId: 'late', events }, { store, sink: flaky })).rejects.toThrow('SNS unavailable');
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(5);

    // Twelve later batches touch the same counter and the same alert's dedup item, pushing the
    // failed batch out of the items' recent-writer lists.
    const sink = new CollectingSink();
    for (let i = 0; i < 12; i++) {
      await runBatch(engine, { batchId: `later-${i}`, events: [failure(45 + i)] }, { store, sink });
    }
    expect(sink.alerts).toHaveLength(0); // repeats of the incident the failed batch raised
    const counter = await readStateItem(client, tableName, COUNTER);
    expect(counter.batches).not.toContain(batchTag('late'));
    expect(counter.batches).toContain(batchTag('later-11'));
    expect(counterTotal(counter)).toBe(17);

    const retry = await runBatch(engine, { batchId: 'late', events }, { store, sink });
    expect(retry.stateWrites).toBe(0);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(17);
    // The alert the failed attempt could not publish goes out now, once.
    expect(retry.published).toBe(1);
    // (The alert the first attempt derived, from its outbox: the same evidence it saw then.)
    expect(retry.alerts.map((a) => a.evidence.failures)).toEqual([5]);
    expect(sink.alerts.map((a) => [a.detector, a.server, a.clientIp])).toEqual([[ID, 'files-mcp', IP]]);
    const again = await runBatch(engine, { batchId: 'late', events }, { store, sink });
    expect(again.published).toBe(0);
    expect(sink.alerts).toHaveLength(1);
  });

  it('concurrent batches on the same window both count (three-way merge)', async () => {
    const { tableName, client } = await freshStore();
    const store = new DynamoDbStateStore({ client: overlappingClient(client, 2), tableName });
    const sink = new CollectingSink();
    const a = [0, 1, 2].map((t) => failure(t));
    const b = [3, 4].map((t) => failure(t));
    const outcomes = await Promise.all([
      runBatch(engine, { batchId: 'pa', events: a }, { store, sink }),
      runBatch(engine, { batchId: 'pb', events: b }, { store, sink }),
    ]);
    expect(outcomes.map((o) => o.stateWrites)).toEqual([1, 1]);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(5);
    expect(store.stats.conflicts).toBeGreaterThanOrEqual(1);
    // Neither batch saw five failures, so neither alerted; the next failure does.
    expect(sink.alerts).toHaveLength(0);
    await runBatch(engine, { batchId: 'pc', events: [failure(5)] }, { store, sink });
    expect(sink.alerts.map((x) => x.evidence.failures)).toEqual([6]);
  });

  it('one incident raised by two concurrent batches is published once', async () => {
    const { tableName, client } = await freshStore();
    const store = new DynamoDbStateStore({ client: overlappingClient(client, 2), tableName });
    const sink = new CollectingSink();
    // Each batch alone crosses the threshold for the same IP.
    const a = [0, 1, 2, 3, 4].map((t) => failure(t));
    const b = [5, 6, 7, 8, 9].map((t) => failure(t));
    const outcomes = await Promise.all([
      runBatch(engine, { batchId: 'ca', events: a }, { store, sink }),
      runBatch(engine, { batchId: 'cb', events: b }, { store, sink }),
    ]);
    // Both derived it; the batch whose dedup write landed second learned the other raised it first.
    expect(outcomes.reduce((n, o) => n + o.alerts.length, 0)).toBe(1);
    expect(outcomes.reduce((n, o) => n + o.published, 0)).toBe(1);
    expect(sink.alerts).toHaveLength(1);
    expect(store.stats.conflicts).toBeGreaterThanOrEqual(1);
  });

  it('an outbox too large for one item is chunked, and a redelivery publishes it from the chunks', async () => {
    const client = dynamoDbClient(endpoint);
    const tableName = await createStateTable(client);
    const store = new DynamoDbStateStore({ client, tableName, intentChunkBytes: 64 });
    const ips = ['203.0.113.1', '203.0.113.2', '203.0.113.3'];
    const events = ips.flatMap((ip) => [0, 10, 20, 30, 40].map((t) => failure(t, { client: { ip } })));
    const flaky = new FlakySink(2);
    await expect(runBatch(engine, { batchId: 'big', events }, { store, sink: flaky })).rejects.toThrow('SNS unavailable');
    expect(store.stats.writes).toBeGreaterThan(3);
    // Another environment (a fresh store) retries: it reads the chunked outbox back.
    const sink = new CollectingSink();
    const retry = await runBatch(engine, { batchId: 'big', events }, { store: new DynamoDbStateStore({ client, tableName, intentChunkBytes: 64 }), sink });
    expect(retry.alerts.map((a) => a.clientIp).sort()).toEqual(ips);
    expect([...flaky.alerts, ...sink.alerts].map((a) => a.clientIp).sort()).toEqual(ips);
    expect(retry.published).toBe(2);
  });

  it('stores state keys longer than the partition-key limit under a hash', async () => {
    const { store, tableName, client } = await freshStore();
    // 800 characters but 2,400 UTF-8 bytes: over DynamoDB's 2,048-byte partition key limit.
    const longIp = `2001:db8::${'€'.repeat(800)}`;
    const sink = new CollectingSink();
    const events = [0, 1, 2, 3, 4].map((t) => failure(t, { client: { ip: longIp } }));
    const outcome = await runBatch(engine, { batchId: 'long', events }, { store, sink });
    expect(outcome.stateWrites).toBe(3); // the counter, the alert's dedup item, the detector's storm counter
    expect(sink.alerts).toHaveLength(1);
    expect(counterTotal(await readStateItem(client, tableName, `${ID}|files-mcp|token|ip|${longIp}`))).toBe(5);
  });

  it('reads state the previous layout kept per entity (an upgrade forgets no counter)', async () => {
    // The counter as three failures left it, in a format-2 item of its own (pk e|<server>|<entity>).
    const before = await freshStore();
    await runBatch(engine, { batchId: 'old', events: [0, 10, 20].map((t) => failure(t)) }, { store: before.store, sink: new CollectingSink() });
    const stored = await readStateItem(before.client, before.tableName, COUNTER);
    expect(counterTotal(stored)).toBe(3);
    const { store, tableName, client } = await freshStore();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `S#e|files-mcp|${IP}` },
          sk: { S: 'S' },
          f: { N: '2' },
          v: { N: '4' },
          z: { B: deflateRawSync(Buffer.from(JSON.stringify({ [COUNTER]: stored.item }))) },
          bs: { L: [{ S: 'old' }] },
        },
      }),
    );
    const sink = new CollectingSink();
    await runBatch(engine, { batchId: 'new', events: [30, 40].map((t) => failure(t)) }, { store, sink });
    expect(sink.alerts.map((a) => a.evidence.failures)).toEqual([5]);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(5);
    // Redelivered after it committed (another execution environment): nothing is applied twice.
    const retry = await runBatch(engine, { batchId: 'new', events: [30, 40].map((t) => failure(t)) }, { store: new DynamoDbStateStore({ client, tableName }), sink });
    expect(retry.stateWrites).toBe(0);
    expect(counterTotal(await readStateItem(client, tableName, COUNTER))).toBe(5);
  });

  it('a shard past the item limit keeps its latest members instead of failing or dropping the write', async () => {
    const client = dynamoDbClient(endpoint);
    const tableName = await createStateTable(client);
    const store = new DynamoDbStateStore({ client, tableName, maxBundleBytes: 150 });
    const ips = Array.from({ length: 160 }, (_, i) => `198.51.100.${i}`);
    const events = ips.map((ip, i) => failure(i, { client: { ip } }));
    await runBatch(engine, { batchId: 'many', events }, { store, sink: new CollectingSink() });
    expect(store.stats.oversized).toBeGreaterThan(0);
    const keys = ips.map((ip) => `${ID}|files-mcp|token|ip|${ip}`);
    const kept = await Promise.all(keys.map(async (key) => counterTotal(await readStateItem(client, tableName, key))));
    // In every shard the newest failure survives and the oldest made room.
    const byShard = new Map<string, number[]>();
    keys.forEach((key, i) => byShard.set(bundleOf(key), [...(byShard.get(bundleOf(key)) ?? []), kept[i] as number]));
    expect(byShard.size).toBe(ENTITY_SHARDS);
    for (const counts of byShard.values()) {
      expect(counts.at(-1)).toBe(1);
      expect(counts[0]).toBe(0);
    }
  });
});
