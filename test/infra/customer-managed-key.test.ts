/**
 * `encryption.kmsKeyArn`: every data store uses the customer key, no topic key is created, and
 * each role gets explicit (non-wildcard) KMS actions on that key only.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildStack } from './support/build-stack.js';
import {
  actionsOf,
  identityStatements,
  onlyResource,
  resources,
  roleStatements,
} from './support/template-queries.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('customer managed key', () => {
  const { stack, template } = buildStack({
    encryption: { kmsKeyArn: KEY_ARN },
    ingestion: { mode: 'kinesis' },
  });

  it('encrypts the table, topic, queues, stream and log groups with it', () => {
    expect(onlyResource(template, 'AWS::DynamoDB::Table')[1].Properties?.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: KEY_ARN,
    });
    expect(onlyResource(template, 'AWS::SNS::Topic')[1].Properties?.KmsMasterKeyId).toBe(KEY_ARN);
    for (const [, queue] of resources(template, 'AWS::SQS::Queue')) {
      expect(queue.Properties?.KmsMasterKeyId).toBe(KEY_ARN);
    }
    expect(onlyResource(template, 'AWS::Kinesis::Stream')[1].Properties?.StreamEncryption).toEqual({
      EncryptionType: 'KMS',
      KeyId: KEY_ARN,
    });
    for (const [, group] of resources(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.KmsKeyId).toBe(KEY_ARN);
    }
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('grants only explicit KMS actions on that key', () => {
    const kmsStatements = identityStatements(template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('kms:')),
    );
    expect(kmsStatements.length).toBeGreaterThan(0);
    for (const statement of kmsStatements) {
      expect(statement.Resource).toBe(KEY_ARN);
      for (const action of actionsOf(statement)) {
        expect(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']).toContain(action);
      }
    }
    const logsToKinesis = resources(template, 'AWS::IAM::Role').find(([id]) =>
      id.startsWith('MonitoringLogSubscriptionsLogsToKinesisRole'),
    )![0];
    expect(roleStatements(template, logsToKinesis)).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: KEY_ARN,
    });
  });

  it('tells the operator which services the imported key policy must admit', () => {
    Annotations.fromStack(stack).hasInfo(
      '/McpWatchtower/Monitoring',
      Match.stringLikeRegexp('cloudwatch.amazonaws.com, sns.amazonaws.com, events.amazonaws.com and logs'),
    );
  });
});

describe('AWS managed keys (default)', () => {
  const { template } = buildStack({ ingestion: { mode: 'kinesis' } });

  it('creates exactly one key, for the topic, and uses AWS managed encryption elsewhere', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(onlyResource(template, 'AWS::DynamoDB::Table')[1].Properties?.SSESpecification).toEqual({
      SSEEnabled: true,
    });
    for (const [, group] of resources(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.KmsKeyId).toBeUndefined();
    }
  });
});
