/**
 * The config-change Lambda handler on real emulators: a CloudTrail change by an actor outside
 * `changes.allowedActors` raises a high CFG-SERVER-CHANGE alert on SNS; EventBridge's retries of the
 * same event publish nothing again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangeResult } from '../../../functions/handlers/commons/config-change-handler.js';
import { createAlertTopic, createStateTable, receiveAlerts, type AlertTopic } from '../../helpers/aws-fixtures.js';
import { captureStdout, emfLines } from '../../helpers/capture-stdout.js';
import { ACCOUNT, cloudTrailEvent } from '../../helpers/cloudtrail-events.js';
import { engineConfigFile } from '../../helpers/cloudwatch-payloads.js';
import { dynamoDbClient, emulators, type EmulatorEndpoints } from '../../helpers/emulators.js';

type Handler = (event: unknown) => Promise<ChangeResult>;

const CI_ROLE = `arn:aws:iam::${ACCOUNT}:role/ci-deploy`;

let endpoints: EmulatorEndpoints;
let topic: AlertTopic;
let handler: Handler;

beforeAll(async () => {
  endpoints = await emulators();
  topic = await createAlertTopic(endpoints.fauxqs);
  process.env.STATE_TABLE_NAME = await createStateTable(dynamoDbClient(endpoints.dynamodb));
  process.env.ALERT_TOPIC_ARN = topic.topicArn;
  process.env.DYNAMODB_ENDPOINT = endpoints.dynamodb;
  process.env.SNS_ENDPOINT = endpoints.fauxqs;
  process.env.WATCHTOWER_CONFIG_FILE = engineConfigFile(['CFG-SERVER-CHANGE'], { changes: { allowedActors: [CI_ROLE] } });
  handler = (await import('../../../functions/handlers/config-change.js')).handler as Handler;
});

describe('config-change handler', () => {
  it('alerts high on a change by an actor that is not allowed, once per EventBridge event', async () => {
    const event = cloudTrailEvent({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionCode20150331v2',
      actorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/developer/mallory`,
      requestParameters: { functionName: 'files-mcp' },
    });
    const { result, lines } = await captureStdout(() => handler(event));
    expect(result).toMatchObject({ status: 'processed', batchId: event.id, alerts: 1, published: 1 });

    const [received, ...more] = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(more).toHaveLength(0);
    expect(received?.attributes).toEqual({ severity: 'high', category: 'config', detector: 'CFG-SERVER-CHANGE', server: 'files-mcp' });
    expect(received?.alert.title).toBe(
      `MCP server change: UpdateFunctionCode on arn:aws:lambda:us-east-1:${ACCOUNT}:function:files-mcp by arn:aws:sts::${ACCOUNT}:assumed-role/developer/mallory (not an allowed actor)`,
    );
    expect(received?.alert.evidence).toMatchObject({ actor: `arn:aws:sts::${ACCOUNT}:assumed-role/developer/mallory`, source: 'cloudtrail', actorPolicy: 'not allowed' });
    expect(received?.alert.time).toBe('2026-11-24T10:00:00.000Z');
    expect(lines.filter((l) => l.message === 'alert').map((l) => l.detector)).toEqual(['CFG-SERVER-CHANGE']);
    expect(emfLines(lines).find((l) => 'Severity' in l)).toMatchObject({ Severity: 'high', Category: 'config', Detector: 'CFG-SERVER-CHANGE', Alerts: 1 });

    // EventBridge retries deliver the same event id.
    expect(await handler(event)).toMatchObject({ status: 'processed', alerts: 1, published: 0 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });

  it('alerts medium on the CI/CD role\'s change (its assumed-role session matches the allowed role)', async () => {
    const event = cloudTrailEvent({
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutRolePolicy',
      actorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/pipeline-run-42`,
      requestParameters: { roleName: 'files-mcp-role', policyName: 'inline' },
    });
    expect(await handler(event)).toMatchObject({ status: 'processed', published: 1 });
    const received = await receiveAlerts(endpoints.fauxqs, topic.queueUrl);
    expect(received.map((r) => [r.attributes.severity, r.attributes.server, r.alert.evidence.actorPolicy])).toEqual([['medium', 'files-mcp-role', 'allowed']]);
  });

  it('ignores failed calls and drops events that are not CloudTrail API calls without throwing', async () => {
    const denied = cloudTrailEvent({ eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', errorCode: 'AccessDenied', requestParameters: { roleName: 'files-mcp-role' } });
    expect(await handler(denied)).toEqual({ status: 'ignored', reason: 'the call failed (AccessDenied): nothing changed' });
    const { result, lines } = await captureStdout(() => handler({ id: 'x', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }));
    expect(result).toMatchObject({ status: 'rejected' });
    expect(emfLines(lines).find((l) => 'BatchesFailed' in l)).toMatchObject({ BatchesFailed: 1 });
    expect(await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).toHaveLength(0);
  });
});
