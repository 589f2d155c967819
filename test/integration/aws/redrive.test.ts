/**
 * `redrive` against a real SQS queue (fauxqs) holding what the stack's DLQ receives: Lambda
 * on-failure records of failed log deliveries and CloudTrail events, EventBridge's undeliverable
 * events, Kinesis failure records. Each processed message is deleted; what cannot be redriven stays.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient } from '../../../functions/adapters/aws-clients.js';
import { SnsAlertSink } from '../../../functions/adapters/sns-alert-sink.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { AlertSink } from '../../../functions/engine/alerts/sink.js';
import { awsPipelinePorts } from '../../../functions/handlers/commons/aws-runtime.js';
import { createIngestHandler } from '../../../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';
import { createAlertTopic, createStateTable, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { runCliCaptured } from '../../helpers/cli-io.js';
import { ACCOUNT, cloudTrailEvent } from '../../helpers/cloudtrail-events.js';
import { canonicalLine, engineConfigFile, subscriptionEvent } from '../../helpers/cloudwatch-payloads.js';
import { dynamoDbClient, emulators, sqsClient, TEST_REGION, uniqueName, type EmulatorEndpoints } from '../../helpers/emulators.js';

let endpoints: EmulatorEndpoints;
let topic: AlertTopic;
let table: string;

function failureRecord(requestPayload: unknown): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-24T10:05:00.000Z',
    requestContext: {
      requestId: 'e4b46cbf-b738-4f1e-8880-a18cdf61200e',
      functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:McpWatchtower-Ingest:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'SNS unavailable' },
  });
}

const KINESIS_FAILURE = JSON.stringify({
  requestContext: { requestId: 'c9b8fa9f', functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:McpWatchtower-Ingest`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-11-24T10:38:04.835Z',
  KinesisBatchInfo: {
    shardId: 'shardId-000000000001',
    startSequenceNumber: '49601189658422359378836298521827638475320189012309704722',
    endSequenceNumber: '49601189658422359378836298522902373528957594348623495186',
    approximateArrivalOfFirstRecord: '2026-11-24T10:38:04.835Z',
    approximateArrivalOfLastRecord: '2026-11-24T10:38:05.580Z',
    batchSize: 500,
    streamArn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/McpWatchtower-LogStream`,
  },
});

function bruteForce(ip: string) {
  return [0, 20, 40, 60, 80].map((t) =>
    canonicalLine(t, {
      event: 'mcp.auth',
      server: { name: 'files-mcp' },
      client: { ip },
      principal: { sub: `user-${ip}`, tokenPresent: true },
      auth: { outcome: 'failure', reason: 'invalid_token' },
    }),
  );
}

async function createQueue(): Promise<string> {
  const { QueueUrl } = await sqsClient(endpoints.fauxqs).send(new CreateQueueCommand({ QueueName: uniqueName('dlq') }));
  if (QueueUrl === undefined) throw new Error('no queue URL');
  return QueueUrl;
}

async function send(queueUrl: string, body: string): Promise<void> {
  await sqsClient(endpoints.fauxqs).send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

async function remaining(queueUrl: string): Promise<string[]> {
  const out = await sqsClient(endpoints.fauxqs).send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  return (out.Messages ?? []).map((m) => m.Body ?? '');
}

function redriveArgs(queueUrl: string, configFile: string): string[] {
  return [
    'redrive', '--queue-url', queueUrl, '--sqs-endpoint', endpoints.fauxqs,
    '--table', table, '--dynamodb-endpoint', endpoints.dynamodb,
    '--sns-topic-arn', topic.topicArn, '--sns-endpoint', endpoints.fauxqs,
    '--region', TEST_REGION, '--config', configFile,
  ];
}

/** Publishes the first alert, then fails: a batch that died half-way through publishing. */
class DiesAfterFirst implements AlertSink {
  private calls = 0;
  constructor(private readonly inner: AlertSink) {}
  async publish(alert: Alert): Promise<void> {
    if (++this.calls > 1) throw new Error('SNS unavailable');
    await this.inner.publish(alert);
  }
}

beforeAll(async () => {
  endpoints = await emulators();
  topic = await createAlertTopic(endpoints.fauxqs);
  table = await createStateTable(dynamoDbClient(endpoints.dynamodb));
});

describe('redrive', { timeout: 90_000 }, () => {
  it('re-processes failed log deliveries exactly once and leaves what it cannot redrive in the queue', async () => {
    const configFile = engineConfigFile(['AUTH-BRUTE-FORCE']);
    const queueUrl = await createQueue();
    // A delivery whose invocation committed state and published one of its two alerts, then died.
    const halfDone = subscriptionEvent(bruteForce('203.0.113.81'));
    const ports = awsPipelinePorts({
      tableName: table,
      topicArn: topic.topicArn,
      configFile,
      ownLogGroupPrefixes: [],
      sourceLogGroupNames: [],
      sourceLogGroupPrefixes: [],
      dynamoDbEndpoint: endpoints.dynamodb,
      snsEndpoint: endpoints.fauxqs,
    });
    const sns = new SnsAlertSink({ client: createSnsClient({ endpoint: endpoints.fauxqs }), topicArn: topic.topicArn });
    const dying = createIngestHandler({
      ...ports,
      sink: new DiesAfterFirst(sns),
      filter: new LogGroupFilter([], [], []),
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: { addDimensions: () => 0, addMetric: () => 0, hasStoredMetrics: () => false, publishStoredMetrics: () => 0 },
    });
    await expect(dying(halfDone)).rejects.toThrow('SNS unavailable');
    const publishedBefore = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(publishedBefore).toHaveLength(1);

    await send(queueUrl, failureRecord(halfDone));
    await send(queueUrl, failureRecord(subscriptionEvent(bruteForce('203.0.113.82'))));
    await send(queueUrl, KINESIS_FAILURE);
    await send(queueUrl, 'not json at all');

    const run = await runCliCaptured(redriveArgs(queueUrl, configFile));
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('redrive: 2 messages re-processed (3 alerts published), 2 left in the queue');
    expect(run.stderr).toContain('Kinesis failure record: 500 records of arn:aws:kinesis:us-east-1:123456789012:stream/McpWatchtower-LogStream, shard shardId-000000000001');
    expect(run.stderr).toContain('not understood (the message body is not JSON)');
    expect(run.stderr).toMatch(/\/aws\/lambda\/files-mcp: 5 events, 2 alerts \(1 published now\), batch [0-9a-f]{32}, \d+ state items already applied/);

    // The half-done delivery's missing alert, and both of the untouched one's; none twice.
    const publishedNow = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(publishedNow).toHaveLength(3);
    const fingerprints = [...publishedBefore, ...publishedNow].map((p) => p.alert.fingerprint);
    expect(new Set(fingerprints).size).toBe(4);
    expect(run.stdout.trim().split('\n')).toHaveLength(3); // the alerts, printed as they were published

    // Only what could not be redriven is left, and visible again.
    const left = await remaining(queueUrl);
    expect(left.sort()).toEqual([KINESIS_FAILURE, 'not json at all'].sort());

    // A second run changes nothing.
    const again = await runCliCaptured(redriveArgs(queueUrl, configFile));
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('redrive: 0 messages re-processed (0 alerts published), 2 left in the queue');
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });

  it('redrives CloudTrail change events (Lambda failure records and EventBridge DLQ events)', async () => {
    const configFile = engineConfigFile(['CFG-SERVER-CHANGE'], { changes: { allowedActors: [`arn:aws:iam::${ACCOUNT}:role/ci-deploy`] } });
    const queueUrl = await createQueue();
    const change = (functionName: string) =>
      cloudTrailEvent({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionConfiguration20150331v2',
        actorArn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
        requestParameters: { functionName },
      });
    await send(queueUrl, failureRecord(change('files-mcp')));
    await send(queueUrl, JSON.stringify(change('git-mcp')));
    const run = await runCliCaptured(redriveArgs(queueUrl, configFile));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('redrive: 2 messages re-processed (2 alerts published), 0 left in the queue');
    const published = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(published.map((p) => [p.attributes.detector, p.attributes.severity, p.attributes.server]).sort()).toEqual([
      ['CFG-SERVER-CHANGE', 'high', 'files-mcp'],
      ['CFG-SERVER-CHANGE', 'high', 'git-mcp'],
    ]);
    expect(await remaining(queueUrl)).toEqual([]);
  });

  it('needs the state table and the topic', async () => {
    const configFile = engineConfigFile(['AUTH-BRUTE-FORCE']);
    const noTable = await runCliCaptured(['redrive', '--queue-url', 'http://localhost/q', '--config', configFile]);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain('redrive needs the stack\'s state table (--table <name>)');
    const noTopic = await runCliCaptured(['redrive', '--queue-url', 'http://localhost/q', '--table', table, '--config', configFile]);
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toContain('redrive needs --sns-topic-arn');
  });
});
