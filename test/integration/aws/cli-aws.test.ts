/**
 * The CLI against real AWS APIs on the emulators: `replay --state dynamodb --sns-topic-arn`
 * publishes each alert once however often it runs, `--create-table` makes the stack's table, and
 * missing setup fails with a message that says what to do.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import { createAlertTopic, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { runCliCaptured } from '../../helpers/cli-io.js';
import { canonicalLine, engineConfigFile } from '../../helpers/cloudwatch-payloads.js';
import { dynamoDbClient, emulators, TEST_REGION, uniqueName, type EmulatorEndpoints } from '../../helpers/emulators.js';

let endpoints: EmulatorEndpoints;
let topic: AlertTopic;
let configFile: string;
let logFile: string;

function authFailure(t: number, ip: string) {
  return canonicalLine(t, {
    event: 'mcp.auth',
    server: { name: 'files-mcp' },
    client: { ip },
    principal: { sub: 'user-42', tokenPresent: true },
    auth: { outcome: 'failure', reason: 'invalid_token' },
  }).message;
}

beforeAll(async () => {
  endpoints = await emulators();
  savedEnv = { ...process.env };
  topic = await createAlertTopic(endpoints.fauxqs);
  configFile = engineConfigFile(['AUTH-BRUTE-FORCE']);
  const dir = mkdtempSync(join(tmpdir(), 'watchtower-replay-'));
  logFile = join(dir, 'files-mcp.jsonl');
  writeFileSync(logFile, `${[0, 20, 40, 60, 80, 100].map((t) => authFailure(t, '203.0.113.7')).join('\n')}\n`);
});

let savedEnv: NodeJS.ProcessEnv = {};
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

function awsArgs(table: string): string[] {
  return [
    '--state', 'dynamodb',
    '--table', table,
    '--dynamodb-endpoint', endpoints.dynamodb,
    '--sns-topic-arn', topic.topicArn,
    '--sns-endpoint', endpoints.fauxqs,
    '--region', TEST_REGION,
  ];
}

describe('replay with DynamoDB state and SNS', () => {
  it('creates the table like the stack, and publishes each alert once over two replays', async () => {
    const table = uniqueName('replay');
    const first = await runCliCaptured(['replay', logFile, '--config', configFile, '--output', 'json', '--create-table', ...awsArgs(table)]);
    expect(first.stderr).toContain(`created DynamoDB table ${table}`);
    expect(first.code).toBe(0);
    const printed = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(printed.map((a) => [a.detector, a.title])).toEqual([
      ['AUTH-BRUTE-FORCE', '5 failed authentications in 300s for ip 203.0.113.7'],
      ['AUTH-BRUTE-FORCE', '5 failed authentications in 300s for principal user-42'],
    ]);
    const published = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(published.map((p) => p.alert.fingerprint).sort()).toEqual(printed.map((a) => a.fingerprint).sort());
    expect(published.every((p) => p.attributes.severity === 'high' && p.attributes.detector === 'AUTH-BRUTE-FORCE')).toBe(true);

    const client = dynamoDbClient(endpoints.dynamodb);
    const described = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });

    // The same logs again: the batches were applied and their alerts published already.
    const second = await runCliCaptured(['replay', logFile, '--config', configFile, '--output', 'json', ...awsArgs(table)]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });

  it('says what to set when the region is missing', async () => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'no-such-aws-credentials');
    const run = await runCliCaptured(['replay', logFile, '--table', 'anything', '--dynamodb-endpoint', endpoints.dynamodb]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('mcp-watchtower: no AWS region for DynamoDB: set AWS_REGION or --region\n');
  });

  it('says what to set when credentials are missing', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'no-such-aws-credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const run = await runCliCaptured(['replay', logFile, '--table', 'anything', '--dynamodb-endpoint', endpoints.dynamodb, '--region', TEST_REGION]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mcp-watchtower: no AWS credentials for DynamoDB: set AWS_PROFILE or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, or run `aws sso login`/);
  });

  it('refuses a missing table without --create-table, and DynamoDB options without DynamoDB state', async () => {
    const missing = await runCliCaptured(['replay', logFile, '--table', 'no-such-table', '--dynamodb-endpoint', endpoints.dynamodb, '--region', TEST_REGION]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('DynamoDB table no-such-table not found: deploy the stack, pass its state table name, or add --create-table');
    const mixed = await runCliCaptured(['replay', logFile, '--state', 'memory', '--table', 'x']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--table, --dynamodb-endpoint and --create-table need --state dynamodb');
    const badArn = await runCliCaptured(['replay', logFile, '--sns-topic-arn', 'alerts', '--region', TEST_REGION]);
    expect(badArn.code).toBe(2);
    expect(badArn.stderr).toContain('--sns-topic-arn is not an SNS topic ARN: alerts');
  });

  it('publishes with in-memory state too, and says that it cannot publish once then', async () => {
    const run = await runCliCaptured([
      'replay', logFile, '--config', configFile, '--output', 'json',
      '--sns-topic-arn', topic.topicArn, '--sns-endpoint', endpoints.fauxqs, '--region', TEST_REGION,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('note: with --state memory every run publishes its alerts again');
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(2);
  });
});
