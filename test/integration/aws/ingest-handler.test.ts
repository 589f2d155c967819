/**
 * The ingest Lambda handler on real emulators: DynamoDB Local for state, fauxqs for SNS with an SQS
 * subscription, so every assertion is on what was really stored and published.
 */
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient } from '../../../functions/adapters/aws-clients.js';
import { DynamoDbStateStore } from '../../../functions/adapters/dynamodb-state-store.js';
import type { MetricsWriter } from '../../../functions/adapters/emf-metrics.js';
import { SnsAlertSink } from '../../../functions/adapters/sns-alert-sink.js';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { AlertSink } from '../../../functions/engine/alerts/sink.js';
import { awsPipelinePorts } from '../../../functions/handlers/commons/aws-runtime.js';
import { createIngestHandler, type DirectResult, type IngestResult } from '../../../functions/handlers/commons/ingest-handler.js';
import { LogGroupFilter } from '../../../functions/handlers/commons/log-sources.js';
import { handlerSettingsFrom, type HandlerSettings } from '../../../functions/handlers/commons/settings.js';
import { counterTotal, createAlertTopic, createStateTable, readStateItem, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { captureStdout, emfLines } from '../../helpers/capture-stdout.js';
import { canonicalLine, engineConfigFile, kinesisEvent, payloadData, subscriptionEvent } from '../../helpers/cloudwatch-payloads.js';
import { dynamoDbClient, emulators, freePort, type EmulatorEndpoints } from '../../helpers/emulators.js';
import { overlappingClient } from '../../helpers/overlapping-client.js';

const OWN_PREFIX = '/aws/lambda/McpWatchtower-Ingest';
const SERVER = 'files-mcp';

type Handler = (event: unknown) => Promise<IngestResult>;

let endpoints: EmulatorEndpoints;
let topic: AlertTopic;
let tableName: string;
let settings: HandlerSettings;
let handler: Handler;

function authFailure(t: number, ip: string, sub = 'user-42') {
  return canonicalLine(t, {
    event: 'mcp.auth',
    server: { name: SERVER },
    client: { ip },
    principal: { sub, tokenPresent: true },
    auth: { outcome: 'failure', reason: 'invalid_token' },
    http: { status: 401 },
  });
}

/** Five failures from one IP against one principal: two AUTH-BRUTE-FORCE incidents (ip=…, principal=…). */
function bruteForce(ip: string, sub: string, from = 0) {
  return [0, 20, 40, 60, 80].map((t) => authFailure(from + t, ip, sub));
}

const silentMetrics: MetricsWriter = { addDimensions: () => 0, addMetric: () => 0, hasStoredMetrics: () => false, publishStoredMetrics: () => 0 };

/** A handler over the same table and topic with some port replaced. */
function handlerWith(overrides: {
  sink?: AlertSink;
  store?: DynamoDbStateStore;
  settings?: HandlerSettings;
  metrics?: MetricsWriter;
  now?: () => number;
}): Handler {
  const s = overrides.settings ?? settings;
  const ports = awsPipelinePorts(s);
  return createIngestHandler({
    ...ports,
    ...(overrides.sink ? { sink: overrides.sink } : {}),
    ...(overrides.store ? { store: overrides.store } : {}),
    filter: LogGroupFilter.from(s),
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: overrides.metrics ?? silentMetrics,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}

/** Fails its `failOn`-th publish, passing the others to `inner`. */
class FailingOnce implements AlertSink {
  private calls = 0;
  constructor(
    private readonly inner: AlertSink,
    private readonly failOn: number,
  ) {}
  async publish(alert: Alert): Promise<void> {
    if (++this.calls === this.failOn) throw new Error('SNS unavailable (injected)');
    await this.inner.publish(alert);
  }
}

function summary(alerts: ReadonlyArray<{ alert: Alert }>): string[] {
  return alerts.map(({ alert }) => `${alert.detector}/${alert.severity}/${alert.server}/${alert.fingerprint}`).sort();
}

beforeAll(async () => {
  endpoints = await emulators();
  tableName = await createStateTable(dynamoDbClient(endpoints.dynamodb));
  topic = await createAlertTopic(endpoints.fauxqs);
  process.env.STATE_TABLE_NAME = tableName;
  process.env.ALERT_TOPIC_ARN = topic.topicArn;
  process.env.DYNAMODB_ENDPOINT = endpoints.dynamodb;
  process.env.SNS_ENDPOINT = endpoints.fauxqs;
  process.env.OWN_LOG_GROUP_PREFIXES = `${OWN_PREFIX},/aws/lambda/McpWatchtower-ConfigChange`;
  process.env.WATCHTOWER_CONFIG_FILE = engineConfigFile(['AUTH-BRUTE-FORCE']);
  process.env.POWERTOOLS_SERVICE_NAME = 'mcp-watchtower';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'McpWatchtower';
  settings = handlerSettingsFrom(process.env);
  handler = (await import('../../../functions/handlers/ingest.js')).handler as Handler;
});

describe('ingest handler (direct CloudWatch Logs subscription)', () => {
  it('raises the expected alerts, publishes them with routing attributes, logs and counts them', async () => {
    const event = subscriptionEvent(bruteForce('203.0.113.7', 'user-42'));
    const { result, lines } = await captureStdout(() => handler(event));
    expect(result).toMatchObject({ status: 'processed', events: 5, alerts: 2, published: 2 });

    const received = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(received.map((r) => r.alert.title).sort()).toEqual([
      '5 failed authentications in 300s for ip 203.0.113.7',
      '5 failed authentications in 300s for principal user-42',
    ]);
    for (const { alert, attributes, structure } of received) {
      expect(attributes).toEqual({ severity: 'high', category: 'auth', detector: 'AUTH-BRUTE-FORCE', server: SERVER });
      expect(alert).toMatchObject({ detector: 'AUTH-BRUTE-FORCE', category: 'auth', severity: 'high', server: SERVER, count: 1 });
      expect(alert.source).toEqual({ format: 'canonical', logGroup: '/aws/lambda/files-mcp', logStream: '2026/11/24/[$LATEST]0123456789abcdef' });
      expect(structure.email).toContain('HIGH — 5 failed authentications');
    }

    // One `alert` log line per published alert, with the fields the dashboard queries.
    const alertLines = lines.filter((l) => l.message === 'alert');
    expect(alertLines.map((l) => [l.detector, l.severity, l.category, l.server, l.fingerprint]).sort()).toEqual(
      received.map(({ alert }) => ['AUTH-BRUTE-FORCE', 'high', 'auth', SERVER, alert.fingerprint]).sort(),
    );
    expect(alertLines.every((l) => typeof l.title === 'string' && l.service === 'mcp-watchtower')).toBe(true);

    // EMF: totals, per log group, alerts by severity/category/detector, per server.
    const emf = emfLines(lines);
    const totals = emf.find((l) => l._aws.CloudWatchMetrics[0]?.Dimensions[0]?.join() === 'service');
    expect(totals).toMatchObject({ EventsIngested: 5, Alerts: 2, BatchesFailed: 0 });
    const byAlert = emf.find((l) => 'Severity' in l);
    expect(byAlert?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['service', 'Severity'],
      ['service', 'Category'],
      ['service', 'Detector'],
    ]);
    expect(byAlert).toMatchObject({ Severity: 'high', Category: 'auth', Detector: 'AUTH-BRUTE-FORCE', Alerts: 2 });
    expect(emf.find((l) => l.LogGroup === '/aws/lambda/files-mcp')).toMatchObject({ EventsIngested: 5, EventsUnparsed: 0 });
    expect(emf.find((l) => l.Server === SERVER)).toMatchObject({ AuthFailures: 5, ToolCalls: 0 });
  });

  it('a scheduled event evaluates absence: a server that went silent raises RES-TELEMETRY-GAP once', async () => {
    const gapSettings: HandlerSettings = { ...settings, configFile: engineConfigFile(['RES-TELEMETRY-GAP']) };
    const before = (await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).length;
    expect(before).toBe(0);
    // wiki-mcp logs every 20 s for 35 minutes (3 events/min; the baseline warms up over 30), then nothing.
    const steady = Array.from({ length: 105 }, (_, i) =>
      canonicalLine(i * 20, { event: 'mcp.call', server: { name: 'wiki-mcp' }, rpc: { method: 'tools/call' }, tool: 'get_page', durationMs: 5 }),
    );
    let now = Date.parse('2026-11-24T10:40:00Z');
    const scheduled = handlerWith({ settings: gapSettings, now: () => now });
    await scheduled(subscriptionEvent(steady, { logGroup: '/ecs/wiki-mcp' }));
    const tickEvent = { id: 't1', 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-24T10:40:00Z', detail: {} };
    // 10:40: five minutes of silence is not a gap yet.
    expect(await scheduled(tickEvent)).toEqual({ status: 'tick', alerts: 0, published: 0 });
    now = Date.parse('2026-11-24T10:55:00Z');
    expect(await scheduled(tickEvent)).toEqual({ status: 'tick', alerts: 1, published: 1 });
    // The next tick reports the same silence no more.
    now = Date.parse('2026-11-24T11:00:00Z');
    expect(await scheduled(tickEvent)).toMatchObject({ status: 'tick', published: 0 });
    const received = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(received.map(({ alert }) => [alert.detector, alert.severity, alert.server])).toEqual([['RES-TELEMETRY-GAP', 'medium', 'wiki-mcp']]);
  });

  it('a redelivered payload publishes nothing again and leaves the counters as they were', async () => {
    const event = subscriptionEvent(bruteForce('203.0.113.20', 'user-20'));
    const first = (await handler(event)) as DirectResult;
    expect(first).toMatchObject({ status: 'processed', published: 2 });
    const counterKey = `AUTH-BRUTE-FORCE|${SERVER}|token|ip|203.0.113.20`;
    const before = await readStateItem(dynamoDbClient(endpoints.dynamodb), tableName, counterKey);
    expect(counterTotal(before)).toBe(5);

    const again = (await handler(event)) as DirectResult;
    expect(again).toMatchObject({ status: 'processed', alerts: 2, published: 0 });
    const after = await readStateItem(dynamoDbClient(endpoints.dynamodb), tableName, counterKey);
    expect(counterTotal(after)).toBe(5);
    expect(after.version).toBe(before.version);
    expect(summary(await receiveAlerts(endpoints.fauxqs, topic.queueUrl))).toHaveLength(2);
  });

  it('fails the invocation when SNS fails mid-batch; the redelivery publishes each alert exactly once', async () => {
    const event = subscriptionEvent(bruteForce('203.0.113.30', 'user-30'));
    const sns = new SnsAlertSink({ client: createSnsClient({ endpoint: endpoints.fauxqs }), topicArn: topic.topicArn });
    await expect(handlerWith({ sink: new FailingOnce(sns, 2) })(event)).rejects.toThrow('SNS unavailable (injected)');
    const beforeRetry = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(beforeRetry).toHaveLength(1);

    const retry = (await handler(event)) as DirectResult;
    expect(retry).toMatchObject({ status: 'processed', alerts: 2, published: 1 });
    const afterRetry = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(afterRetry).toHaveLength(1);
    const all = summary([...beforeRetry, ...afterRetry]);
    expect(new Set(all).size).toBe(2);
    expect(all.every((a) => a.startsWith('AUTH-BRUTE-FORCE/high/files-mcp/'))).toBe(true);
    expect((await handler(event)) as DirectResult).toMatchObject({ published: 0 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });

  it('fails the invocation when SNS is unreachable, after the SDK retries, and counts the failed batch', async () => {
    const event = subscriptionEvent(bruteForce('203.0.113.40', 'user-40'));
    const dead = `http://127.0.0.1:${await freePort()}`;
    const broken = handlerWith({ settings: { ...settings, snsEndpoint: dead }, metrics: new Metrics({ namespace: 'McpWatchtower', serviceName: 'mcp-watchtower' }) });
    const { result, lines } = await captureStdout(() => broken(event).then(() => undefined, (error: unknown) => error));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/ECONNREFUSED|connect/);
    expect(emfLines(lines).find((l) => 'BatchesFailed' in l)).toMatchObject({ BatchesFailed: 1, EventsIngested: 0, Alerts: 0 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
    // State was committed before publishing; the redelivery still publishes both alerts.
    expect((await handler(event)) as DirectResult).toMatchObject({ alerts: 2, published: 2 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(2);
  }, 60_000);

  it('two concurrent invocations on the same window both count (merge on conflict)', async () => {
    const client = dynamoDbClient(endpoints.dynamodb);
    const store = new DynamoDbStateStore({ client: overlappingClient(client, 2), tableName });
    const concurrent = handlerWith({ store });
    const ip = '203.0.113.50';
    const a = subscriptionEvent([0, 10, 20].map((t) => authFailure(t, ip, 'user-50a')), { logStream: 'stream-a' });
    const b = subscriptionEvent([30, 40].map((t) => authFailure(t, ip, 'user-50b')), { logStream: 'stream-b' });
    const results = (await Promise.all([concurrent(a), concurrent(b)])) as DirectResult[];
    expect(results.map((r) => r.status)).toEqual(['processed', 'processed']);
    expect(store.stats.conflicts).toBeGreaterThanOrEqual(1);
    expect(counterTotal(await readStateItem(client, tableName, `AUTH-BRUTE-FORCE|${SERVER}|token|ip|${ip}`))).toBe(5);
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
    // The sixth failure sees all five earlier ones.
    expect((await handler(subscriptionEvent([authFailure(50, ip, 'user-50c')]))) as DirectResult).toMatchObject({ published: 1 });
    const [alert] = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(alert?.alert.evidence.failures).toBe(6);
  });

  it('never processes its own log groups, ignores control messages and drops undecodable payloads', async () => {
    const own = await captureStdout(() => handler(subscriptionEvent(bruteForce('203.0.113.60', 'user-60'), { logGroup: `${OWN_PREFIX}-abc123` })));
    expect(own.result).toEqual({ status: 'skipped' });
    const control = await handler(subscriptionEvent([{ timestamp: Date.now(), message: 'CWL CONTROL MESSAGE: Checking health of destination' }], { messageType: 'CONTROL_MESSAGE' }));
    expect(control).toEqual({ status: 'control' });

    const bad = await captureStdout(() => handler({ awslogs: { data: Buffer.from('not gzip').toString('base64') } }));
    expect(bad.result).toMatchObject({ status: 'rejected' });
    expect((bad.result as { error: string }).error).toContain('not a CloudWatch Logs subscription payload');
    expect(bad.lines.find((l) => l.level === 'ERROR')?.message).toBe('dropped an undecodable CloudWatch Logs payload');
    expect(emfLines(bad.lines).find((l) => 'BatchesFailed' in l)).toMatchObject({ BatchesFailed: 1, EventsIngested: 0 });

    expect(await handler({ hello: 'world' })).toMatchObject({ status: 'rejected' });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });

  it('counts lines no normalizer reads as EventsUnparsed and still processes the rest', async () => {
    const lines = [...bruteForce('203.0.113.70', 'user-70'), { timestamp: Date.parse('2026-11-24T10:02:00Z'), message: 'starting server on :8080' }];
    const { result, lines: out } = await captureStdout(() => handler(subscriptionEvent(lines, { logGroup: '/ecs/files-mcp' })));
    expect(result).toMatchObject({ status: 'processed', events: 5, published: 2 });
    expect(emfLines(out).find((l) => l.LogGroup === '/ecs/files-mcp')).toMatchObject({ EventsIngested: 5, EventsUnparsed: 1 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(2);
  });
});

describe('ingest handler (Kinesis)', () => {
  it('reports exactly the bad record in batchItemFailures and processes the others', async () => {
    const good1 = payloadData(bruteForce('198.51.100.1', 'user-k1'), { logStream: 'k1' });
    const good2 = payloadData(bruteForce('198.51.100.2', 'user-k2'), { logStream: 'k2' });
    const event = kinesisEvent([good1, Buffer.from('{"not":"gzip"}').toString('base64'), good2], 100);
    const { result, lines } = await captureStdout(() => handler(event));
    const badSequence = event.Records[1]?.kinesis.sequenceNumber;
    expect(result as KinesisStreamBatchResponse).toEqual({ batchItemFailures: [{ itemIdentifier: badSequence }] });
    expect(lines.find((l) => l.message === 'Kinesis record failed: reported in batchItemFailures')).toMatchObject({ sequenceNumber: badSequence });
    expect(emfLines(lines).find((l) => 'BatchesFailed' in l)).toMatchObject({ BatchesFailed: 1, Alerts: 4, EventsIngested: 10 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(4);

    // Lambda retries from the failed record on: the good ones are recognised by their sequence numbers.
    const retried = await handler(event);
    expect(retried).toEqual({ batchItemFailures: [{ itemIdentifier: badSequence }] });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });

  it('processes records in order: an incident split over two records of one batch is detected', async () => {
    const ip = '198.51.100.5';
    const first = payloadData([0, 10, 20].map((t) => authFailure(t, ip, 'user-k5')), { logStream: 'k5a' });
    const second = payloadData([30, 40].map((t) => authFailure(t, ip, 'user-k6')), { logStream: 'k5b' });
    expect(await handler(kinesisEvent([first, second], 300))).toEqual({ batchItemFailures: [] });
    const alerts = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(alerts.map((a) => [a.alert.title, a.alert.evidence.failures])).toEqual([[`5 failed authentications in 300s for ip ${ip}`, 5]]);
  });

  it('skips control messages and own log groups without failing the record', async () => {
    const control = payloadData([{ timestamp: Date.now(), message: 'CWL CONTROL MESSAGE' }], { messageType: 'CONTROL_MESSAGE', logGroup: '' });
    const own = payloadData(bruteForce('198.51.100.3', 'user-k3'), { logGroup: `${OWN_PREFIX}-x` });
    expect(await handler(kinesisEvent([control, own], 200))).toEqual({ batchItemFailures: [] });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });
});
