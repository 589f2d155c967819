/**
 * Exactly-once under faults (issue 11's fault model), on DynamoDB Local and fauxqs with the real
 * ingest handler over the example logs: every scenario delivers exactly the alerts of a clean run
 * over the payloads in the order their batches first committed — no duplicate, lost or false alert.
 *
 *   concurrent   every payload delivered twice at the same time (two execution environments)
 *   sns-outage   SNS down for every payload, then each retried in order (Lambda's retries)
 *   redrive      the same outage, the failures in a DLQ, then `mcp-watchtower redrive`
 *   partial      a crash mid-commit (some bundles written), another batch, then the retry
 *   crash-done   a crash after every bundle, before the batch is marked done
 *   dynamo       DynamoDB down for a run of payloads (nothing committed), retried after the rest
 *   mark-sent    marking an alert sent fails after SNS accepted it (transient, and for a whole attempt)
 *   poison       an alert SNS always rejects: isolated and reported, the rest published, no retry loop
 *   stuck        an alert SNS fails transiently for ever: isolated after maxPublishAttempts
 *   same-stream  two different payloads of one log stream delivered at the same time (their
 *                sessions and their server's entity shards written concurrently)
 */
import { SendMessageCommand, CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { DirectResult } from '../../../functions/handlers/commons/ingest-handler.js';
import { runCliCaptured } from '../../helpers/cli-io.js';
import { emulators, sqsClient, TEST_REGION, uniqueName, type EmulatorEndpoints } from '../../helpers/emulators.js';
import { overlappingClient } from '../../helpers/overlapping-client.js';
import {
  chaosEngine,
  cleanRun,
  compare,
  countDifferences,
  examplePayloads,
  sharedBuckets,
  NO_DIFFERENCE,
  serviceError,
  World,
  writeKind,
  type Handler,
  type Payload,
} from './support.js';

let endpoints: EmulatorEndpoints;
let payloads: Payload[];
let baseline: Alert[];

/** Runs `event`, retrying (as Lambda does) until it succeeds; returns the failures seen. */
async function untilSuccess(handler: Handler, event: unknown, limit = 6): Promise<number> {
  for (let failures = 0; ; failures++) {
    try {
      await handler(event);
      return failures;
    } catch (error) {
      if (failures + 1 >= limit) throw error;
    }
  }
}

beforeAll(async () => {
  endpoints = await emulators();
  payloads = await examplePayloads();
  baseline = await cleanRun(endpoints, payloads);
}, 300_000);

describe('exactly-once alerts under faults (DynamoDB Local + fauxqs, example logs)', { timeout: 300_000 }, () => {
  it('the clean run raises the example logs\' alerts', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(20);
    expect(baseline.length).toBeGreaterThanOrEqual(50);
    expect(new Set(baseline.map((a) => `${a.fingerprint}|${a.time}`)).size).toBe(baseline.length);
  });

  it('concurrent: every payload delivered twice at the same time publishes each alert once and counts once', async () => {
    const world = await World.create(endpoints);
    let retried = 0;
    for (const p of payloads) {
      // Two execution environments whose writes wait until both have read: they really overlap.
      let shared: Parameters<typeof overlappingClient>[0] | undefined;
      const gate = (client: Parameters<typeof overlappingClient>[0]) => (shared ??= overlappingClient(client, 2));
      const a = world.handler(world.store({ wrap: gate }));
      const b = world.handler(world.store({ wrap: gate }));
      const results = await Promise.allSettled([a(p.event), b(p.event)]);
      // A delivery that found the other mid-publish fails and is retried, as Lambda would.
      for (const r of results) if (r.status === 'rejected') retried += 1 + (await untilSuccess(world.handler(), p.event));
    }
    expect(compare(baseline, await world.received())).toEqual(NO_DIFFERENCE);
    expect(retried).toBeGreaterThanOrEqual(0);
  });

  it('sns-outage: SNS down for every payload, then each retried in order: the first attempts\' alerts, once', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    world.snsFault = () => {
      throw serviceError('InternalErrorException', 'SNS unreachable (injected)');
    };
    let failed = 0;
    for (const p of payloads) await handler(p.event).catch(() => failed++);
    world.snsFault = undefined;
    for (const p of payloads) await handler(p.event);
    expect(failed).toBeGreaterThan(0);
    expect(compare(baseline, await world.received())).toEqual(NO_DIFFERENCE);
  });

  it('redrive: the same outage, failure records in the DLQ, `redrive` publishes exactly the missing alerts', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    const sqs = sqsClient(endpoints.fauxqs);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('chaos-dlq') }));
    world.snsFault = () => {
      throw serviceError('InternalErrorException', 'SNS unreachable (injected)');
    };
    let failed = 0;
    for (const p of payloads) {
      try {
        await handler(p.event);
      } catch (error) {
        failed++;
        const record = {
          version: '1.0',
          requestContext: { requestId: uniqueName('req'), condition: 'RetriesExhausted', approximateInvokeCount: 3 },
          requestPayload: p.event,
          responsePayload: { errorType: 'Error', errorMessage: (error as Error).message },
        };
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
      }
    }
    world.snsFault = undefined;
    expect(failed).toBeGreaterThan(0);
    const args = [
      'redrive', '--queue-url', QueueUrl as string, '--sqs-endpoint', endpoints.fauxqs, '--max-messages', '1000',
      '--table', world.tableName, '--dynamodb-endpoint', endpoints.dynamodb,
      '--sns-topic-arn', world.topic.topicArn, '--sns-endpoint', endpoints.fauxqs,
      '--region', TEST_REGION, '--config', chaosEngine().file,
    ];
    const run = await runCliCaptured(args);
    expect(run.code, run.stderr).toBe(0);
    expect(compare(baseline, await world.received())).toEqual(NO_DIFFERENCE);
    // Redriving again publishes nothing.
    for (const p of payloads) await handler(p.event);
    expect(await world.received()).toEqual([]);
  });

  it('partial: a crash mid-commit, another batch, then the retry: no false or lost alert, no double count', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    // A payload with many alerts crashes after its outbox and two of its bundles; a payload of
    // another log group runs before the retry (it sees the victim's state half-written, so it must
    // not depend on it: the clean run to compare with commits it right after the victim).
    const victim = payloads.findIndex((p) => p.name.includes('ecs-files-mcp'));
    const other = payloads.findIndex((p, i) => i > victim && !p.name.includes('ecs-files-mcp'));
    const committed = [...payloads.keys()].filter((i) => i !== other);
    committed.splice(committed.indexOf(victim) + 1, 0, other);
    let bundles = 0;
    for (const i of committed) {
      if (i === other) continue;
      if (i !== victim) {
        await handler(payloads[i]?.event);
        continue;
      }
      world.dynamoFault = (command) => {
        if (writeKind(command) === 'bundle' && ++bundles > 2) throw serviceError('ServiceUnavailable', 'the process died (injected)');
      };
      await expect(handler(payloads[victim]?.event)).rejects.toThrow('injected');
      world.dynamoFault = undefined;
      await handler(payloads[other]?.event);
      await handler(payloads[victim]?.event);
    }
    expect(bundles).toBeGreaterThan(2);
    const expected = await cleanRun(endpoints, committed.map((i) => payloads[i] as Payload));
    expect(compare(expected, await world.received())).toEqual(NO_DIFFERENCE);
  });

  it('crash-done: a crash after every bundle before the batch is marked done: the retry writes and publishes nothing twice', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    let crashes = 0;
    for (const [i, p] of payloads.entries()) {
      if (i % 3 === 0) {
        world.dynamoFault = (command) => {
          if (writeKind(command) === 'done') {
            crashes++;
            throw serviceError('ServiceUnavailable', 'the process died (injected)');
          }
        };
        await handler(p.event).catch(() => undefined);
        world.dynamoFault = undefined;
      }
      await handler(p.event);
    }
    expect(crashes).toBeGreaterThan(0);
    expect(compare(baseline, await world.received())).toEqual(NO_DIFFERENCE);
  });

  it('dynamo: DynamoDB down for a run of payloads, retried after the rest: alerts of the order they committed in', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    const down = new Set([3, 4, 5, 6, 7]);
    const failed: number[] = [];
    for (const [i, p] of payloads.entries()) {
      world.dynamoFault = down.has(i)
        ? () => {
            throw serviceError('ServiceUnavailable', 'DynamoDB unreachable (injected)');
          }
        : undefined;
      await handler(p.event).catch(() => failed.push(i));
    }
    world.dynamoFault = undefined;
    for (const i of failed) await handler(payloads[i]?.event);
    expect(failed).toEqual([...down]);
    const committed = [...payloads.keys()].filter((i) => !down.has(i)).concat(failed);
    const expected = await cleanRun(endpoints, committed.map((i) => payloads[i] as Payload));
    expect(compare(expected, await world.received())).toEqual(NO_DIFFERENCE);
  });

  it('mark-sent: marking sent fails after SNS accepted (transiently, then for a whole attempt): no duplicate', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    let marks = 0;
    let failedAttempts = 0;
    for (const [i, p] of payloads.entries()) {
      // Even payloads: each mark fails once (absorbed by the store's own retries).
      // Odd payloads: every mark fails during the first attempt, which then fails; the retry (same
      // execution environment, as Lambda's async retries usually are) must not publish again.
      let seen = 0;
      world.dynamoFault = (command) => {
        if (writeKind(command) !== 'mark-sent') return;
        marks++;
        if (i % 2 === 1 || seen++ % 2 === 0) throw serviceError('ServiceUnavailable', 'DynamoDB unreachable (injected)');
      };
      try {
        await handler(p.event);
      } catch {
        failedAttempts++;
        world.dynamoFault = undefined;
        await handler(p.event);
      }
      world.dynamoFault = undefined;
    }
    expect(marks).toBeGreaterThan(0);
    expect(failedAttempts).toBeGreaterThan(0);
    expect(compare(baseline, await world.received())).toEqual(NO_DIFFERENCE);
  });

  it('poison: an alert SNS always rejects is isolated and reported; every other alert is published once; nothing retries for ever', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler();
    const poisoned = baseline.find((a) => a.detector === 'AUTH-BRUTE-FORCE') ?? (baseline[0] as Alert);
    world.snsFault = (command) => {
      const input = (command as { input?: { Message?: string } }).input;
      if (writeKind(command) === 'publish' && input?.Message?.includes(poisoned.fingerprint)) {
        throw serviceError('InvalidParameterException', 'Invalid parameter: Message (injected)');
      }
    };
    let reported = 0;
    for (const p of payloads) {
      const result = (await handler(p.event)) as DirectResult;
      if (result.status === 'processed') reported += result.unpublishable ?? 0;
    }
    world.snsFault = undefined;
    const received = await world.received();
    const others = baseline.filter((a) => a.fingerprint !== poisoned.fingerprint);
    expect(compare(others, received)).toEqual(NO_DIFFERENCE);
    expect(reported).toBe(baseline.length - others.length);
    // Redelivered: the isolated alert stays isolated (reported as such), the rest stay published once.
    for (const p of payloads) await handler(p.event);
    expect(await world.received()).toEqual([]);
  });

  it('stuck: an alert whose publish fails transiently on every attempt is isolated after maxPublishAttempts', async () => {
    const world = await World.create(endpoints);
    const handler = world.handler(world.store({ maxPublishAttempts: 3 }));
    const stuck = baseline.find((a) => a.detector !== 'AUTH-BRUTE-FORCE') ?? (baseline[0] as Alert);
    world.snsFault = (command) => {
      const input = (command as { input?: { Message?: string } }).input;
      if (writeKind(command) === 'publish' && input?.Message?.includes(stuck.fingerprint)) {
        throw serviceError('InternalErrorException', 'SNS internal error (injected)');
      }
    };
    let failures = 0;
    for (const p of payloads) failures += await untilSuccess(handler, p.event, 10);
    world.snsFault = undefined;
    const others = baseline.filter((a) => a.fingerprint !== stuck.fingerprint);
    expect(compare(others, await world.received())).toEqual(NO_DIFFERENCE);
    // Two failed attempts per payload raising it, the third isolates it and the batch succeeds.
    const raising = baseline.length - others.length;
    expect(failures).toBe(2 * raising);
  });

  it('same-stream: two payloads of one log stream at the same time: every event counted once, no alert twice', async () => {
    const world = await World.create(endpoints);
    const pairs: [Payload, Payload][] = [];
    for (let i = 0; i + 1 < payloads.length; i++) {
      const [a, b] = [payloads[i] as Payload, payloads[i + 1] as Payload];
      if (a.name.split('#')[0] !== b.name.split('#')[0]) continue;
      pairs.push([a, b]);
      i++;
    }
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    let conflicts = 0;
    for (const [a, b] of pairs) {
      let shared: Parameters<typeof overlappingClient>[0] | undefined;
      const gate = (client: Parameters<typeof overlappingClient>[0]) => (shared ??= overlappingClient(client, 2));
      const stores = [world.store({ wrap: gate }), world.store({ wrap: gate })] as const;
      const results = await Promise.allSettled([world.handler(stores[0])(a.event), world.handler(stores[1])(b.event)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      conflicts += stores[0].stats.conflicts + stores[1].stats.conflicts;
    }
    // The two deliveries really raced on shared items (sessions, entity shards) and merged.
    expect(conflicts).toBeGreaterThan(pairs.length);
    const clean = await World.create(endpoints);
    const handler = clean.handler();
    for (const [a, b] of pairs) {
      await handler(a.event);
      await handler(b.event);
    }
    // The concurrent writers conflicted on shared items and merged: nothing lost or counted twice.
    const [merged, sequential] = [await world.counts(), await clean.counts()];
    expect(sequential.size).toBeGreaterThan(50);
    expect(sharedBuckets(merged, sequential)).toBeGreaterThan(500);
    expect(countDifferences(merged, sequential)).toEqual([]);
    // Which batch raised an incident may differ from the sequential run (each decided on what it
    // read), but no incident is published twice.
    const received = await world.received();
    const once = new Set(received.map((a) => `${a.fingerprint}|${a.time}`));
    expect(once.size).toBe(received.length);
    expect(new Set(received.map((a) => a.fingerprint))).toEqual(new Set((await clean.received()).map((a) => a.fingerprint)));
  });
});
