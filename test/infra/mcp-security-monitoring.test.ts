/**
 * Fine-grained assertions on the default (direct ingestion, AWS managed keys) stack.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultHandlerEntries } from '../../infra/constructs/mcp-security-monitoring.js';
import { REPO_ROOT } from '../../infra/constructs/watchtower-function.js';
import { buildStack, type BuiltStack } from './support/build-stack.js';
import {
  actionsOf,
  dashboardBody,
  identityStatements,
  onlyResource,
  resources,
  roleStatements,
} from './support/template-queries.js';

let built: BuiltStack;
beforeAll(() => {
  built = buildStack();
});

const ref = (logicalIdPrefix: string) => ({ Ref: Match.stringLikeRegexp(`^${logicalIdPrefix}`) });
const arnOf = (logicalIdPrefix: string) => ({
  'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), 'Arn'],
});

describe('Lambda functions', () => {
  it('run on nodejs24.x, arm64, bundled ESM handler, with explicit memory and timeout', () => {
    const functions = resources(built.template, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(2);
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('decodes MCP logs'),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 60,
      // Reserved (and capped) concurrency: a log flood cannot take the account's whole pool.
      ReservedConcurrentExecutions: 20,
      LoggingConfig: { LogGroup: ref('MonitoringIngestLogGroup') },
    });
    const configChange = functions.find(([, f]) => String(f.Properties?.Description).includes('CloudTrail changes'));
    expect(configChange?.[1].Properties?.ReservedConcurrentExecutions).toBeUndefined();
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('CloudTrail changes'),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 30,
      LoggingConfig: { LogGroup: ref('MonitoringConfigChangeLogGroup') },
    });
  });

  it('set every environment variable the handlers read, and no config in the environment', () => {
    const expected = {
      NODE_OPTIONS: '--enable-source-maps',
      STATE_TABLE_NAME: ref('MonitoringStateTable'),
      ALERT_TOPIC_ARN: ref('MonitoringAlertsTopic'),
      WATCHTOWER_CONFIG_FILE: '/var/task/watchtower.config.json',
      OWN_LOG_GROUP_PREFIXES: {
        'Fn::Join': [',', [ref('MonitoringIngestLogGroup'), ref('MonitoringConfigChangeLogGroup')]],
      },
      POWERTOOLS_SERVICE_NAME: 'mcp-watchtower',
      POWERTOOLS_METRICS_NAMESPACE: 'McpWatchtower',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      WATCHTOWER_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
    };
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('decodes MCP logs'),
      // Exact: no SOURCE_* filter without prefixes (the subscriptions already select the sources).
      Environment: { Variables: Match.exact(expected) },
    });
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('CloudTrail changes'),
      Environment: { Variables: Match.exact(expected) },
    });
  });

  it('send failed asynchronous invocations to the DLQ after two retries', () => {
    const configs = resources(built.template, 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(2);
    for (const [, config] of configs) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        Qualifier: '$LATEST',
      });
      expect(JSON.stringify(config.Properties?.DestinationConfig)).toMatch(
        /^\{"OnFailure":\{"Destination":\{"Fn::GetAtt":\["MonitoringDeadLetterQueue[0-9A-F]{8}","Arn"\]\}\}\}$/,
      );
    }
  });

  it('write to their own log groups with the configured retention, retained on delete', () => {
    const logGroups = resources(built.template, 'AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(2);
    for (const [, group] of logGroups) {
      expect(group.Properties).toEqual({ RetentionInDays: 30 });
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it('default to the repository handlers', () => {
    expect(defaultHandlerEntries()).toEqual({
      ingest: `${REPO_ROOT}/functions/handlers/ingest.ts`,
      configChange: `${REPO_ROOT}/functions/handlers/config-change.ts`,
    });
  });
});

describe('least-privilege IAM', () => {
  it('uses no wildcard actions and no wildcard resources in any identity policy', () => {
    const statements = identityStatements(built.template);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      expect(JSON.stringify(statement.Resource ?? null)).not.toMatch(/"\*"/);
    }
  });

  it('uses no AWS managed policies', () => {
    for (const [, role] of resources(built.template, 'AWS::IAM::Role')) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('gives the ingest role exactly: its log group, the DLQ, table item read/write, publish to the topic', () => {
    const statements = roleStatements(built.template, 'MonitoringIngestRole');
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringIngestLogGroup/), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringDeadLetterQueue/), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringStateTable/), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: { Ref: expect.stringMatching(/^MonitoringAlertsTopic/) },
      },
      {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringAlertsKey/), 'Arn'] },
      },
    ]);
  });

  it('lets the config-change role publish and keep state, but not touch the ingest log group', () => {
    const statements = roleStatements(built.template, 'MonitoringConfigChangeRole');
    const text = JSON.stringify(statements);
    expect(text).toContain('MonitoringConfigChangeLogGroup');
    expect(text).not.toContain('MonitoringIngestLogGroup');
    expect(statements.flatMap(actionsOf).sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'sqs:SendMessage',
      ].sort(),
    );
  });
});

describe('state table', () => {
  it('is on-demand with pk/sk string keys, PITR, TTL on `ttl`, AWS managed encryption, retained', () => {
    const [, table] = onlyResource(built.template, 'AWS::DynamoDB::Table');
    expect(table.Properties).toEqual({
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });
});

describe('alert topic', () => {
  it('is encrypted with a rotating key whose policy lets CloudWatch alarms publish', () => {
    built.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: arnOf('MonitoringAlertsKey'),
      SignatureVersion: '2',
    });
    const [, key] = onlyResource(built.template, 'AWS::KMS::Key');
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.Properties?.KeyPolicy).toMatchObject({
      Statement: expect.arrayContaining([
        {
          Sid: 'AllowCloudWatchAlarmsToPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          // Only this account's alarms (confused-deputy guard).
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]),
    });
  });

  it('denies publishing without TLS', () => {
    const [, policy] = onlyResource(built.template, 'AWS::SNS::TopicPolicy');
    expect(policy.Properties?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowPublishThroughSSLOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: { Ref: expect.stringMatching(/^MonitoringAlertsTopic/) },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  it('filters each subscription on the severity attribute from its floor up, with a delivery DLQ', () => {
    const byProtocol: Record<string, Record<string, unknown> | undefined> = Object.fromEntries(
      resources(built.template, 'AWS::SNS::Subscription').map(([, s]) => [
        s.Properties?.Protocol as string,
        s.Properties,
      ]),
    );
    expect(Object.keys(byProtocol).sort()).toEqual(['email', 'https', 'lambda', 'sqs']);
    expect(byProtocol.email).toMatchObject({
      Endpoint: 'sec@example.com',
      FilterPolicy: { severity: ['critical', 'high'] },
    });
    expect(byProtocol.https).toMatchObject({
      Endpoint: 'https://events.pagerduty.com/integration/abc/enqueue',
      FilterPolicy: { severity: ['critical'] },
    });
    expect(byProtocol.lambda).toMatchObject({
      Endpoint: 'arn:aws:lambda:us-east-1:111122223333:function:chatops',
      FilterPolicy: { severity: ['critical', 'high', 'medium'] },
    });
    // No floor: every alert and the alarm notifications (which carry no attributes).
    expect(byProtocol.sqs?.FilterPolicy).toBeUndefined();
    expect(byProtocol.sqs?.Endpoint).toBe('arn:aws:sqs:us-east-1:111122223333:soc-intake');
    for (const subscription of Object.values(byProtocol)) {
      expect(subscription?.RedrivePolicy).toEqual({
        deadLetterTargetArn: {
          'Fn::GetAtt': [expect.stringMatching(/^MonitoringAlertDeliveryDeadLetterQueue/), 'Arn'],
        },
      });
    }
  });

  it('lets SNS invoke the subscribed Lambda function from this topic only', () => {
    built.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: 'arn:aws:lambda:us-east-1:111122223333:function:chatops',
      Principal: 'sns.amazonaws.com',
      SourceArn: ref('MonitoringAlertsTopic'),
    });
  });
});

describe('dead-letter queues', () => {
  it('are encrypted, keep messages 14 days and refuse non-TLS requests', () => {
    const queues = resources(built.template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const [, queue] of queues) {
      expect(queue.Properties).toEqual({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expect(queue.DeletionPolicy).toBe('Retain');
    }
    const policies = resources(built.template, 'AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect((policy.Properties?.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: expect.anything(),
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });
});

describe('log subscriptions (names only)', () => {
  it('has ONE Lambda permission for CloudWatch Logs, scoped to this account’s log groups', () => {
    const logsPermissions = resources(built.template, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties?.Principal === 'logs.amazonaws.com',
    );
    expect(logsPermissions).toHaveLength(1);
    expect(logsPermissions[0]![1].Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringIngestFunction/), 'Arn'] },
      Principal: 'logs.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':logs:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':log-group:*',
          ],
        ],
      },
    });
  });

  it('subscribes each named log group to the ingest function after the permission exists', () => {
    const [id, filter] = onlyResource(built.template, 'AWS::Logs::SubscriptionFilter');
    expect(id).toMatch(/^MonitoringLogSubscriptionsSubscriptionawslambdafilesmcp/);
    expect(filter.Properties).toEqual({
      LogGroupName: '/aws/lambda/files-mcp',
      DestinationArn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringIngestFunction/), 'Arn'] },
      FilterPattern: '',
    });
    expect(filter.DependsOn).toEqual([
      expect.stringMatching(/^MonitoringLogSubscriptionsLogsInvokePermission/),
    ]);
    built.template.resourceCountIs('AWS::Logs::AccountPolicy', 0);
  });
});

/** The EventBridge rules that match CloudTrail events (the absence-check schedule is not one). */
function cloudTrailRules(template: Template) {
  return resources(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.EventPattern !== undefined);
}

describe('absence-check schedule', () => {
  it('invokes the ingest function every 5 minutes, with retries and the DLQ', () => {
    const schedules = resources(built.template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.ScheduleExpression !== undefined);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.[1].Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringIngestFunction/), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringDeadLetterQueue/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
        },
      ],
    });
  });
});

describe('config-change rules', () => {
  it('creates one CloudTrail rule per monitored resource type, each targeting the config-change Lambda', () => {
    const rules = cloudTrailRules(built.template);
    expect(
      rules.map(([, r]) => (r.Properties?.EventPattern as { source: string[] }).source[0]).sort(),
    ).toEqual(['aws.bedrock-agentcore', 'aws.ecs', 'aws.ecs', 'aws.iam', 'aws.lambda', 'aws.ssm']);
    for (const [, rule] of rules) {
      expect(rule.Properties?.EventPattern).toMatchObject({ 'detail-type': ['AWS API Call via CloudTrail'] });
      expect(rule.Properties?.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringConfigChangeFunction/), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringDeadLetterQueue/), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
        },
      ]);
    }
  });

  it('matches Lambda changes by versioned event name prefix and by function name or ARN', () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.lambda'],
        detail: {
          eventSource: ['lambda.amazonaws.com'],
          eventName: Match.arrayWith([
            { prefix: 'UpdateFunctionCode' },
            { prefix: 'UpdateFunctionConfiguration' },
          ]),
          requestParameters: {
            functionName: [
              'files-mcp',
              { suffix: ':function:files-mcp' },
              { wildcard: '*:function:files-mcp:*' },
            ],
          },
        },
      },
    });
  });

  it('matches IAM role policy changes, SSM parameter writes by prefix, ECS and AgentCore changes', () => {
    const pattern = (source: string) =>
      cloudTrailRules(built.template)
        .map(([, r]) => r.Properties?.EventPattern as { source: string[]; detail: Record<string, unknown> })
        .filter((p) => p.source[0] === source)
        .map((p) => p.detail);
    expect(pattern('aws.iam')).toEqual([
      {
        eventSource: ['iam.amazonaws.com'],
        eventName: [
          'PutRolePolicy',
          'DeleteRolePolicy',
          'AttachRolePolicy',
          'DetachRolePolicy',
          'UpdateAssumeRolePolicy',
          'PutRolePermissionsBoundary',
          'DeleteRolePermissionsBoundary',
          'UpdateRole',
        ],
        requestParameters: { roleName: ['files-mcp-role'] },
      },
    ]);
    expect(pattern('aws.ssm')).toEqual([
      {
        eventSource: ['ssm.amazonaws.com'],
        eventName: ['PutParameter', 'DeleteParameter', 'LabelParameterVersion'],
        requestParameters: { name: [{ prefix: '/mcp/' }] },
      },
    ]);
    expect(pattern('aws.ecs')).toEqual([
      {
        eventSource: ['ecs.amazonaws.com'],
        eventName: ['CreateService', 'UpdateService', 'DeleteService', 'UpdateCluster'],
        requestParameters: { cluster: ['mcp-cluster', { suffix: ':cluster/mcp-cluster' }] },
      },
      {
        eventSource: ['ecs.amazonaws.com'],
        eventName: ['RegisterTaskDefinition'],
        requestParameters: { family: ['search-mcp'] },
      },
    ]);
    expect(pattern('aws.bedrock-agentcore')).toEqual([
      {
        eventSource: ['bedrock-agentcore.amazonaws.com'],
        eventName: [
          'UpdateGateway',
          'DeleteGateway',
          'CreateGatewayTarget',
          'UpdateGatewayTarget',
          'DeleteGatewayTarget',
        ],
        requestParameters: { gatewayIdentifier: ['gw-0123456789', { suffix: ':gateway/gw-0123456789' }] },
      },
    ]);
  });

  it('creates no rule for resource types with nothing configured', () => {
    const { template } = buildStack({ monitoredResources: { iamRoleNames: ['only-role'] } });
    expect(cloudTrailRules(template)).toHaveLength(1);
  });
});

describe('alarms', () => {
  const alarmNames = () =>
    resources(built.template, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties?.AlarmName as string)
      .sort();

  it('have stable, readable names: anomaly alarms per server and tiered pipeline alarms', () => {
    expect(alarmNames()).toEqual(
      [
        'McpWatchtower-files-mcp-ToolCalls-Anomaly',
        'McpWatchtower-files-mcp-ToolErrorRate-Anomaly',
        'McpWatchtower-files-mcp-ToolLatencyP99-Anomaly',
        'McpWatchtower-files-mcp-ToolErrorRate-Critical',
        'McpWatchtower-search-mcp-ToolCalls-Anomaly',
        'McpWatchtower-search-mcp-ToolErrorRate-Anomaly',
        'McpWatchtower-search-mcp-ToolLatencyP99-Anomaly',
        'McpWatchtower-search-mcp-ToolErrorRate-Critical',
        'McpWatchtower-Ingest-Errors-Warning',
        'McpWatchtower-Ingest-Errors-Critical',
        'McpWatchtower-Ingest-Throttles-Warning',
        'McpWatchtower-Ingest-Duration-Warning',
        'McpWatchtower-ConfigChange-Errors-Warning',
        'McpWatchtower-FailedEvents-Dlq-Warning',
        'McpWatchtower-FailedEvents-Dlq-Critical',
        'McpWatchtower-AlertDelivery-Dlq-Critical',
        'McpWatchtower-DetectorErrors-Warning',
        'McpWatchtower-BatchesFailed-Warning',
        'McpWatchtower-StateTable-Throttles-Warning',
      ].sort(),
    );
  });

  it('notify the alert topic on ALARM and on OK', () => {
    for (const [, alarm] of resources(built.template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties?.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/^MonitoringAlertsTopic/) },
      ]);
      expect(alarm.Properties?.OKActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlertsTopic/) }]);
    }
  });

  it('put an anomaly band (3 standard deviations) on the p99 latency of each server', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'McpWatchtower-files-mcp-ToolLatencyP99-Anomaly',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      ThresholdMetricId: 'expr_1',
      Metrics: Match.arrayWith([
        Match.objectLike({ Id: 'expr_1', Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' }),
        Match.objectLike({
          Id: 'm0',
          MetricStat: {
            Metric: {
              Namespace: 'McpWatchtower',
              MetricName: 'ToolLatency',
              Dimensions: Match.arrayWith([
                { Name: 'Server', Value: 'files-mcp' },
                { Name: 'service', Value: 'mcp-watchtower' },
              ]),
            },
            Period: 300,
            Stat: 'p99',
          },
        }),
      ]),
    });
  });

  it('compute the error rate as metric math over ToolErrors and ToolCalls', () => {
    const [, alarm] = resources(built.template, 'AWS::CloudWatch::Alarm').find(
      ([, a]) => a.Properties?.AlarmName === 'McpWatchtower-files-mcp-ToolErrorRate-Critical',
    )!;
    const metrics = alarm.Properties?.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string } };
    }[];
    expect(metrics.find((m) => m.Expression !== undefined)?.Expression).toBe(
      'IF(FILL(calls, 0) > 0, 100 * FILL(errors, 0) / FILL(calls, 1), 0)',
    );
    expect(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!.Metric.MetricName])).toEqual([
      ['calls', 'ToolCalls'],
      ['errors', 'ToolErrors'],
    ]);
    expect(alarm.Properties).toMatchObject({
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarm on DLQ depth and on ingest errors at the documented thresholds', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'McpWatchtower-FailedEvents-Dlq-Warning',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 1,
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringDeadLetterQueue'), 'QueueName'] },
        },
      ],
    });
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'McpWatchtower-Ingest-Errors-Critical',
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 1,
    });
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'McpWatchtower-DetectorErrors-Warning',
      Metrics: [
        Match.objectLike({
          Expression:
            'SELECT SUM(DetectorErrors) FROM SCHEMA("McpWatchtower", Detector, service) WHERE service = \'mcp-watchtower\'',
          Period: 300,
        }),
      ],
    });
  });

  it('has no iterator-age alarm without Kinesis', () => {
    expect(alarmNames().some((name) => name.includes('IteratorAge'))).toBe(false);
  });
});

describe('dashboard', () => {
  it('is named after the stack and region (dashboard names are global to the account)', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['McpWatchtower-', { Ref: 'AWS::Region' }]] },
    });
  });

  it('shows alerts, servers, pipeline health and recent alerts from the Lambda logs', () => {
    const body = dashboardBody(built.template);
    const titles = body.widgets
      .map((w) => (w as { properties: { title?: string } }).properties.title)
      .filter((t): t is string => t !== undefined);
    expect(titles).toEqual([
      'Totals over the selected range',
      'Alarms',
      'Alerts by severity',
      'Alerts by category',
      'Alerts by detector',
      'Events ingested by log group',
      'Unparsed events by log group',
      'Auth failures by server',
      'files-mcp: tool calls',
      'files-mcp: error rate (%)',
      'files-mcp: latency p50 / p99 (ms)',
      'files-mcp: auth failures',
      'search-mcp: tool calls',
      'search-mcp: error rate (%)',
      'search-mcp: latency p50 / p99 (ms)',
      'search-mcp: auth failures',
      'Pipeline: Lambda invocations, errors, throttles',
      'Pipeline: ingest duration (ms)',
      'Pipeline: DLQ depth',
      'Pipeline: state table',
      'Pipeline: detector errors and failed batches',
      'Recent alerts',
    ]);
    const text = JSON.stringify(body);
    expect(text).toContain('filter message = \\"alert\\"');
    expect(text).toContain('fields @timestamp, severity, detector, category, server, title, fingerprint');
    expect(text).toContain(
      'SEARCH(\'{McpWatchtower,Category,service} MetricName=\\"Alerts\\" service=\\"mcp-watchtower\\"\', \'Sum\', 300)',
    );
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      expect(text).toContain(`"McpWatchtower","Alerts","Severity","${severity}","service","mcp-watchtower"`);
    }
    expect(text).toContain('{"label":"${PROP(\'Dim.Category\')}","expression":"SEARCH(');
    expect(text).toContain('"expression":"ANOMALY_DETECTION_BAND(m0, 3)"');
  });
});

describe('outputs', () => {
  it('export the dashboard URL, topic, table and DLQ URLs', () => {
    expect(Object.keys(built.template.toJSON().Outputs).sort()).toEqual([
      'AlertDeliveryDeadLetterQueueUrl',
      'AlertTopicArn',
      'DashboardUrl',
      'DeadLetterQueueUrl',
      'IngestFunctionName',
      'StateTableName',
    ]);
  });
});
