/**
 * The ingest function with the chat and integration topics configured, on real emulators
 * (DynamoDB Local for state, fauxqs for SNS → SQS): what reaches each topic's queue is asserted —
 * chat custom notifications (new, resolved; threaded by fingerprint), and the lifecycle events the
 * Security Hub forwarder turns into ASFF (BatchImportFindings mocked: Security Hub has no emulator).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricsWriter } from '../../../functions/adapters/emf-metrics.js';
import { SecurityHubImporter } from '../../../functions/adapters/destinations/security-hub-importer.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { ChatNotification } from '../../../functions/engine/alerts/formats/chat.js';
import type { AsffFinding } from '../../../functions/engine/alerts/formats/asff.js';
import { awsPipelinePorts } from '../../../functions/handlers/commons/aws-runtime.js';
import { createIngestHandler, type IngestResult } from '../../../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';
import { handlerSettingsFrom } from '../../../functions/handlers/commons/settings.js';
import { createSecurityHubForwarder } from '../../../functions/handlers/commons/security-hub-forwarder-handler.js';
import { createAlertTopic, createStateTable, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { canonicalLine, engineConfigFile, subscriptionEvent } from '../../helpers/cloudwatch-payloads.js';
import { dynamoDbClient, emulators, sqsClient, type EmulatorEndpoints } from '../../helpers/emulators.js';
import { validateAsff } from '../../helpers/finding-validators.js';

const BASE = Date.parse('2026-11-24T10:00:00.000Z');
const ACCOUNT = '111122223333';
const SERVER = 'files-mcp';
const silentMetrics: MetricsWriter = { addDimensions: () => 0, addMetric: () => 0, hasStoredMetrics: () => false, publishStoredMetrics: () => 0 };

let endpoints: EmulatorEndpoints;
let alertTopic: AlertTopic;
let chatTopic: AlertTopic;
let integrationTopic: AlertTopic;
let handler: (event: unknown) => Promise<IngestResult>;
let clock = BASE;

const failure = (t: number) =>
  canonicalLine(t, { event: 'mcp.auth', server: { name: SERVER }, client: { ip: '203.0.113.7' }, principal: { sub: 'user-42', tokenPresent: true }, auth: { outcome: 'failure', reason: 'invalid_token' }, http: { status: 401 } });

/** Drains a queue: the raw SQS message bodies, oldest first as fauxqs returns them. */
async function drain(queueUrl: string): Promise<string[]> {
  const sqs = sqsClient(endpoints.fauxqs);
  const out: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return out;
    for (const m of Messages) {
      out.push(m.Body ?? '');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

/** The integration queue holds the `{default, email}` document fauxqs delivers (real SNS: `default`). */
const lifecycleOf = (bodies: string[]) => bodies.map((b) => JSON.parse((JSON.parse(b) as { default: string }).default) as Alert);

beforeAll(async () => {
  endpoints = await emulators();
  const tableName = await createStateTable(dynamoDbClient(endpoints.dynamodb));
  [alertTopic, chatTopic, integrationTopic] = await Promise.all([createAlertTopic(endpoints.fauxqs), createAlertTopic(endpoints.fauxqs), createAlertTopic(endpoints.fauxqs)]);
  const settings = handlerSettingsFrom({
    STATE_TABLE_NAME: tableName,
    ALERT_TOPIC_ARN: alertTopic.topicArn,
    CHAT_TOPIC_ARN: chatTopic.topicArn,
    INTEGRATION_TOPIC_ARN: integrationTopic.topicArn,
    WATCHTOWER_ACCOUNT_ID: ACCOUNT,
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    SNS_ENDPOINT: endpoints.fauxqs,
    WATCHTOWER_CONFIG_FILE: engineConfigFile(['AUTH-BRUTE-FORCE'], { alerts: { dedupSeconds: 600 } }),
  });
  handler = createIngestHandler({ ...awsPipelinePorts(settings), filter: LogGroupFilter.from(settings), logger: new Logger({ logLevel: 'SILENT' }), metrics: silentMetrics, now: () => clock });
});

describe('destinations through fauxqs', () => {
  it('posts chat notifications and lifecycle events, which the Security Hub forwarder imports as one finding per incident', async () => {
    // 1. Five failures: two AUTH-BRUTE-FORCE incidents (per ip, per principal), new.
    await handler(subscriptionEvent([0, 20, 40, 60, 80].map(failure)));
    const alerts = (await receiveAlerts(endpoints.fauxqs, alertTopic.queueUrl)).map((r) => r.alert);
    expect(alerts.map((a) => [a.status, a.account, a.region])).toEqual([
      ['new', ACCOUNT, 'us-east-1'],
      ['new', ACCOUNT, 'us-east-1'],
    ]);
    const chatNew = (await drain(chatTopic.queueUrl)).map((b) => JSON.parse(b) as ChatNotification);
    expect(chatNew).toHaveLength(2);
    for (const n of chatNew) {
      expect(n).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
      expect(n.content.title).toMatch(/^:large_orange_circle: \[HIGH\] AUTH-BRUTE-FORCE on files-mcp: 5 failed authentications/);
      expect(n.content.description).toContain('*Evidence:*');
      expect(n.content.nextSteps[0]).toMatch(/block the IP/i);
    }
    expect(new Set(chatNew.map((n) => n.metadata.threadId))).toEqual(new Set(alerts.map((a) => a.fingerprint)));
    const batch1 = await drain(integrationTopic.queueUrl);
    expect(lifecycleOf(batch1).map((a) => a.status)).toEqual(['new', 'new']);

    // 2. More failures inside the window: folded repeats → updates on the integration topic only.
    await handler(subscriptionEvent([120, 140].map(failure)));
    expect(await receiveAlerts(endpoints.fauxqs, alertTopic.queueUrl)).toEqual([]);
    expect(await drain(chatTopic.queueUrl)).toEqual([]);
    const batch2 = await drain(integrationTopic.queueUrl);
    expect(lifecycleOf(batch2).map((a) => [a.status, a.count])).toEqual([
      ['updated', 3],
      ['updated', 3],
    ]);

    // 3. Quiet for the dedup window: the scheduled tick resolves both, in chat (threaded) and for Security Hub.
    clock = BASE + 140_000 + 600_000;
    await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date(clock).toISOString() });
    const chatResolved = (await drain(chatTopic.queueUrl)).map((b) => JSON.parse(b) as ChatNotification);
    expect(chatResolved.map((n) => n.metadata.eventType)).toEqual(['mcp-watchtower.resolved', 'mcp-watchtower.resolved']);
    expect(new Set(chatResolved.map((n) => n.metadata.threadId))).toEqual(new Set(alerts.map((a) => a.fingerprint)));
    const batch3 = await drain(integrationTopic.queueUrl);
    expect(lifecycleOf(batch3).map((a) => [a.status, a.count])).toEqual([
      ['resolved', 3],
      ['resolved', 3],
    ]);

    // 4. The Security Hub forwarder over what the integration queue received, batch by batch.
    const hub = mockClient(SecurityHubClient);
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
    const forwarder = createSecurityHubForwarder({
      importer: new SecurityHubImporter({ client: new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }) }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    for (const bodies of [batch1, batch2, batch3]) {
      const event: SQSEvent = { Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSEvent['Records'][number]) };
      expect((await forwarder(event)).batchItemFailures).toEqual([]);
    }
    const calls = hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings as unknown as AsffFinding[]);
    hub.restore();
    expect(calls).toHaveLength(3);
    for (const f of calls.flat()) expect(validateAsff(f)).toEqual([]);
    const byId = new Map<string, AsffFinding[]>();
    for (const f of calls.flat()) byId.set(f.Id, [...(byId.get(f.Id) ?? []), f]);
    expect(byId.size).toBe(2);
    for (const history of byId.values()) {
      expect(history.map((f) => f.RecordState)).toEqual(['ACTIVE', 'ACTIVE', 'ARCHIVED']);
      expect(history.map((f) => f.ProductFields['mcp-watchtower/count'])).toEqual(['1', '3', '3']);
      const updated = history.map((f) => Date.parse(f.UpdatedAt));
      expect(updated[1]).toBeGreaterThan(updated[0] ?? 0);
      expect(updated[2]).toBeGreaterThan(updated[1] ?? 0);
      expect(new Set(history.map((f) => f.CreatedAt)).size).toBe(1);
      expect(history[0]?.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    }
  });
});
