/**
 * A user's rule file with a correlation gives the same alerts in `replay` (CLI, in-memory state)
 * and through the ingest Lambda handler (DynamoDB Local state, fauxqs SNS→SQS), with the config
 * the CDK app writes (rule documents embedded at synth, compiled at cold start). A redelivered
 * batch publishes nothing again: the correlation's state is applied once.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { withRuleDocuments } from '../../../infra/config/embed-rules.js';
import { createAlertTopic, createStateTable, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { canonicalLine, subscriptionEvent } from '../../helpers/cloudwatch-payloads.js';
import { runCliCaptured } from '../../helpers/cli-io.js';
import { dynamoDbClient, emulators, type EmulatorEndpoints } from '../../helpers/emulators.js';

const SERVER = 'files-mcp';

type Handler = (event: unknown) => Promise<{ status: string; alerts?: number; published?: number }>;

let endpoints: EmulatorEndpoints;
let topic: AlertTopic;
let handler: Handler;
let configYaml: string;

function failure(t: number, ip: string, sub: string) {
  return canonicalLine(t, {
    event: 'mcp.auth',
    server: { name: SERVER },
    client: { ip },
    principal: { sub, tokenPresent: true },
    auth: { outcome: 'failure', reason: 'invalid_token' },
    http: { status: 401 },
  });
}

// Token spraying from .7 (three principals) split over two deliveries; .8 retries one principal.
const BATCH_1 = [failure(0, '203.0.113.7', 'alice'), failure(5, '203.0.113.8', 'dave'), failure(10, '203.0.113.7', 'bob')];
const BATCH_2 = [failure(20, '203.0.113.8', 'dave'), failure(30, '203.0.113.7', 'carol'), failure(40, '203.0.113.8', 'dave')];

const key = (a: Alert): string => `${a.detector}/${a.severity}/${a.server}/${a.fingerprint}`;

beforeAll(async () => {
  endpoints = await emulators();
  const tableName = await createStateTable(dynamoDbClient(endpoints.dynamodb));
  topic = await createAlertTopic(endpoints.fauxqs);
  // The user's config and rule file, side by side.
  const dir = mkdtempSync(join(tmpdir(), 'wt-rules-lambda-'));
  copyFileSync('test/fixtures/rules/token-spray.yml', join(dir, 'token-spray.yml'));
  configYaml = join(dir, 'watchtower.config.yaml');
  const configText = 'rules: [token-spray.yml]\nruleSettings:\n  FIXTURE-TOKEN-SPRAY: {severity: critical}\n';
  writeFileSync(configYaml, configText);
  // What the CDK app writes into the bundle (infra/config/load-config.ts → embed-rules.ts).
  const engineConfig = withRuleDocuments(parse(configText) as Record<string, unknown>, dir);
  expect((engineConfig.ruleDocuments as unknown[]).length).toBeGreaterThanOrEqual(2);
  const jsonFile = join(dir, 'engine-config.json');
  writeFileSync(jsonFile, JSON.stringify(engineConfig));
  process.env.STATE_TABLE_NAME = tableName;
  process.env.ALERT_TOPIC_ARN = topic.topicArn;
  process.env.DYNAMODB_ENDPOINT = endpoints.dynamodb;
  process.env.SNS_ENDPOINT = endpoints.fauxqs;
  process.env.OWN_LOG_GROUP_PREFIXES = '/aws/lambda/McpWatchtower-Ingest';
  process.env.WATCHTOWER_CONFIG_FILE = jsonFile;
  process.env.POWERTOOLS_SERVICE_NAME = 'mcp-watchtower';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'McpWatchtower';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  handler = (await import('../../../functions/handlers/ingest.js')).handler as Handler;
});

describe('Sigma rules: replay and the ingest Lambda agree', () => {
  it('raises the same alerts (the correlation across two deliveries included), each once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-rules-log-'));
    const log = join(dir, 'auth.jsonl');
    writeFileSync(log, `${[...BATCH_1, ...BATCH_2].map((l) => l.message).join('\n')}\n`);
    const replay = await runCliCaptured(['replay', log, '-o', 'json', '--config', configYaml]);
    expect(replay.code).toBe(0);
    const replayed = replay.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);

    const first = await handler(subscriptionEvent(BATCH_1));
    const secondEvent = subscriptionEvent(BATCH_2);
    const second = await handler(secondEvent);
    expect(first.status).toBe('processed');
    expect(second.status).toBe('processed');
    const published = (await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).map((r) => r.alert);

    expect(published.map(key).sort()).toEqual(replayed.map(key).sort());
    const spray = published.filter((a) => a.detector === 'FIXTURE-TOKEN-SPRAY');
    expect(spray).toHaveLength(1);
    expect(spray[0]).toMatchObject({ severity: 'critical', category: 'auth', title: 'Token spraying from one address' });
    // The base rule only feeds the correlation; .8 retrying one principal is not spraying.
    expect(published.some((a) => a.detector === 'FIXTURE-AUTH-FAIL')).toBe(false);
    expect(spray[0]?.evidence).toMatchObject({ correlation: 'value_count', count: 3, groupBy: { 'client.ip': '203.0.113.7' } });

    // Redelivery of the second payload: the correlation's state and the alert are not applied twice.
    const again = await handler(secondEvent);
    expect(again).toMatchObject({ status: 'processed', published: 0 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toEqual([]);
  });
});
