/**
 * `ingestion: kinesis`: CloudWatch Logs → Kinesis Data Stream → ingest Lambda (event source
 * mapping with partial batch failures), plus the iterator-age alarms and widget.
 */
import { describe, expect, it } from 'vitest';
import { buildStack } from './support/build-stack.js';
import { dashboardBody, onlyResource, resources, roleStatements } from './support/template-queries.js';

describe('Kinesis ingestion (on-demand by default)', () => {
  const { template } = buildStack({ ingestion: { mode: 'kinesis' } });

  it('creates an on-demand stream, encrypted with the AWS managed key, not retained', () => {
    const [, stream] = onlyResource(template, 'AWS::Kinesis::Stream');
    expect(stream.Properties).toEqual({
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    expect(stream.DeletionPolicy).toBe('Delete');
  });

  it('maps the stream to the ingest Lambda with partial batch failures, bisecting and a DLQ', () => {
    const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringLogStream/), 'Arn'] },
      FunctionName: { Ref: expect.stringMatching(/^MonitoringIngestFunction/) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      ParallelizationFactor: 2,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringDeadLetterQueue/), 'Arn'] },
        },
      },
    });
  });

  it('lets CloudWatch Logs (this account only) put records through a dedicated role', () => {
    const [roleId, role] = resources(template, 'AWS::IAM::Role').find(([id]) =>
      id.startsWith('MonitoringLogSubscriptionsLogsToKinesisRole'),
    )!;
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':logs:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':*',
                  ],
                ],
              },
            },
          },
        },
      ],
    });
    expect(roleStatements(template, roleId)).toEqual([
      {
        Effect: 'Allow',
        Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringLogStream/), 'Arn'] },
      },
    ]);
  });

  it('subscribes log groups to the stream with the role and random distribution', () => {
    const [, filter] = onlyResource(template, 'AWS::Logs::SubscriptionFilter');
    expect(filter.Properties).toEqual({
      LogGroupName: '/aws/lambda/files-mcp',
      DestinationArn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringLogStream/), 'Arn'] },
      RoleArn: {
        'Fn::GetAtt': [expect.stringMatching(/^MonitoringLogSubscriptionsLogsToKinesisRole/), 'Arn'],
      },
      Distribution: 'Random',
      FilterPattern: '',
    });
    expect(filter.DependsOn).toEqual([
      expect.stringMatching(/^MonitoringLogSubscriptionsLogsToKinesisRoleDefaultPolicy/),
    ]);
  });

  it('grants CloudWatch Logs no invoke permission on the Lambda (the stream sits in between)', () => {
    const logsPermissions = resources(template, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties?.Principal === 'logs.amazonaws.com',
    );
    expect(logsPermissions).toHaveLength(0);
  });

  it('alarms on iterator age at one minute (Warning) and one hour (Critical) and graphs it', () => {
    const iteratorAlarms = resources(template, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties!)
      .filter((p) => p.MetricName === 'IteratorAge')
      .map((p) => [p.AlarmName, p.Threshold, p.Statistic, p.EvaluationPeriods]);
    expect(iteratorAlarms).toEqual([
      ['McpWatchtower-Ingest-IteratorAge-Warning', 60_000, 'Maximum', 3],
      ['McpWatchtower-Ingest-IteratorAge-Critical', 3_600_000, 'Maximum', 1],
    ]);
    const titles = dashboardBody(template).widgets.map(
      (w) => (w as { properties: { title?: string } }).properties.title,
    );
    expect(titles).toContain('Pipeline: Kinesis iterator age (ms)');
  });
});

describe('Kinesis ingestion with options', () => {
  it('uses provisioned shards, the configured batch size, parallelization and retention', () => {
    const { template } = buildStack({
      ingestion: {
        mode: 'kinesis',
        shardCount: 4,
        batchSize: 5000,
        parallelizationFactor: 5,
        maxBatchingWindowSeconds: 10,
        retentionHours: 48,
      },
    });
    expect(onlyResource(template, 'AWS::Kinesis::Stream')[1].Properties).toMatchObject({
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 4,
      RetentionPeriodHours: 48,
    });
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping')[1].Properties).toMatchObject({
      BatchSize: 5000,
      ParallelizationFactor: 5,
      MaximumBatchingWindowInSeconds: 10,
    });
  });
});
