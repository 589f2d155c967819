/**
 * The PagerDuty forwarder against a local PagerDuty Events v2 stub (node:http on 127.0.0.1) and a
 * real SQS DLQ (fauxqs): trigger, repeats folded under one dedup_key, resolve, retries on 429 and
 * 5xx, the DLQ on a permanent rejection, the minimum severity, the routing key from the secret.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyClient } from '../../../functions/adapters/destinations/pagerduty-client.js';
import { RoutingKeyProvider } from '../../../functions/adapters/destinations/routing-key.js';
import { SqsDeadLetter } from '../../../functions/adapters/destinations/sqs-dead-letter.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { createPagerDutyForwarder } from '../../../functions/handlers/commons/pagerduty-forwarder-handler.js';
import { emulators, sqsClient } from '../../helpers/emulators.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const SECRET_NAME = 'mcp-watchtower/pagerduty';

interface Received {
  readonly body: Record<string, unknown>;
}

/** The stub answers from a script (status codes in order), then 202. */
class PagerDutyStub {
  readonly received: Received[] = [];
  script: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let data = '';
      req.on('data', (c) => (data += String(c)));
      req.on('end', () => {
        this.received.push({ body: JSON.parse(data) as Record<string, unknown> });
        const status = this.script.shift() ?? 202;
        res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '0' } : {}) });
        res.end(JSON.stringify(status === 202 ? { status: 'success', message: 'Event processed', dedup_key: 'x' } : { status: 'invalid event' }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/v2/enqueue`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const secrets = mockClient(SecretsManagerClient);
const stub = new PagerDutyStub();
let dlqUrl = '';
let fauxqs = '';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    detector: 'AUTH-BRUTE-FORCE', category: 'auth', severity: 'high', title: '5 failed authentications', description: 'd', fingerprint: '3f0c6e1b9a2d4c57',
    time: '2026-11-24T10:00:00.000Z', firstSeen: '2026-11-24T10:00:00.000Z', lastSeen: '2026-11-24T10:00:00.000Z', count: 1, server: 'files-mcp',
    evidence: { failures: 5 }, references: [], runbook: 'block the IP', status: 'new', ...overrides,
  };
}

let n = 0;
const sqsEvent = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((body) => ({ messageId: `m${n++}`, body }) as SQSEvent['Records'][number]) });
/** As the integration topic's queue holds it: the SNS MessageStructure document (fauxqs) around the alert. */
const body = (a: Alert) => JSON.stringify({ default: JSON.stringify(a), email: 'text' });

function forwarder(minSeverity?: Alert['severity']) {
  const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  return createPagerDutyForwarder({
    client: new PagerDutyClient({ url: stub.url, maxAttempts: 3, baseDelayMs: 1, timeoutMs: 2000 }),
    routingKey: new RoutingKeyProvider(client, SECRET_NAME),
    deadLetter: new SqsDeadLetter(sqsClient(fauxqs), dlqUrl),
    logger: quiet,
    ...(minSeverity !== undefined ? { minSeverity } : {}),
  });
}

async function dlqMessages(): Promise<Array<{ body: string; reason: string }>> {
  const out = await sqsClient(fauxqs).send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
  return (out.Messages ?? []).map((m) => ({ body: m.Body ?? '', reason: m.MessageAttributes?.reason?.StringValue ?? '' }));
}

beforeAll(async () => {
  fauxqs = (await emulators()).fauxqs;
  const queue = await sqsClient(fauxqs).send(new CreateQueueCommand({ QueueName: `pd-dlq-${Date.now()}` }));
  dlqUrl = queue.QueueUrl ?? '';
  await stub.start();
});
afterAll(() => stub.stop());
afterEach(() => {
  secrets.reset();
  stub.received.length = 0;
  stub.script = [];
});

describe('PagerDuty forwarder', () => {
  it('triggers, folds repeats under the fingerprint as dedup_key, and resolves', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_NAME }).resolves({ SecretString: JSON.stringify({ routing_key: ROUTING_KEY }) });
    const handler = forwarder();
    const updated = alert({ status: 'updated', count: 9, lastSeen: '2026-11-24T10:05:00.000Z' });
    const resolved = alert({ status: 'resolved', count: 9, lastSeen: '2026-11-24T10:05:00.000Z', resolvedAt: '2026-11-24T11:05:00.000Z' });
    // Delivered out of order in one batch: the forwarder sends them in lifecycle order.
    const result = await handler(sqsEvent(body(resolved), body(alert()), body(updated)));
    expect(result.batchItemFailures).toEqual([]);
    expect(stub.received.map((r) => [r.body.event_action, r.body.dedup_key, r.body.routing_key])).toEqual([
      ['trigger', '3f0c6e1b9a2d4c57', ROUTING_KEY],
      ['trigger', '3f0c6e1b9a2d4c57', ROUTING_KEY],
      ['resolve', '3f0c6e1b9a2d4c57', ROUTING_KEY],
    ]);
    expect(stub.received[0]?.body.payload).toMatchObject({ severity: 'error', component: 'files-mcp', class: 'AUTH-BRUTE-FORCE' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: ROUTING_KEY });
    stub.script = [429, 503];
    const result = await forwarder()(sqsEvent(body(alert())));
    expect(result.batchItemFailures).toEqual([]);
    expect(result.figures).toMatchObject({ sent: 1, failed: 0 });
    expect(stub.received).toHaveLength(3);
  });

  it('hands a message back to SQS when PagerDuty keeps failing (redrive policy, then the DLQ)', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: ROUTING_KEY });
    stub.script = [500, 502, 503];
    const event = sqsEvent(body(alert()));
    const result = await forwarder()(event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect(stub.received).toHaveLength(3);
  });

  it('parks a permanently rejected event and a non-alert message in the DLQ at once', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: ROUTING_KEY });
    stub.script = [400];
    const result = await forwarder()(sqsEvent(body(alert()), '{"not":"an alert"}'));
    expect(result.batchItemFailures).toEqual([]);
    expect(result.figures).toMatchObject({ parked: 2, sent: 0 });
    expect(stub.received).toHaveLength(1);
    const parked = await dlqMessages();
    expect(parked.map((m) => m.reason).sort()).toEqual([expect.stringMatching(/rejected the event \(HTTP 400/), 'message body is not an mcp-watchtower alert'].sort());
    expect(parked.some((m) => m.body.includes('3f0c6e1b9a2d4c57'))).toBe(true);
    expect(parked.every((m) => !m.body.includes(ROUTING_KEY) && !m.reason.includes(ROUTING_KEY))).toBe(true);
  });

  it('skips alerts below the minimum severity', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: ROUTING_KEY });
    const result = await forwarder('critical')(sqsEvent(body(alert()), body(alert({ severity: 'critical', fingerprint: 'aaaaaaaaaaaaaaaa' }))));
    expect(result.figures).toMatchObject({ sent: 1, skipped: 1 });
    expect(stub.received.map((r) => r.body.dedup_key)).toEqual(['aaaaaaaaaaaaaaaa']);
  });

  it('fails the batch (retried by SQS) when the secret holds no routing key, without logging it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'not-a-key' });
    const result = await forwarder()(sqsEvent(body(alert())));
    expect(result.batchItemFailures).toHaveLength(1);
    expect(stub.received).toHaveLength(0);
  });
});
