/**
 * cdk-nag v3 (AwsSolutions + Serverless packs, run as CDK policy validation plugins): zero
 * unacknowledged findings in every configuration, every acknowledgment is one rule with a
 * specific reason and answers a real finding, and a finding fails synthesis.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { DeploymentInput } from '../../infra/config/deployment-schema.js';
import { buildStack } from './support/build-stack.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const CONFIGURATIONS: Record<string, Partial<DeploymentInput>> = {
  'direct, AWS managed keys': {},
  'kinesis, prefixes, customer key': {
    ingestion: { mode: 'kinesis', shardCount: 2 },
    sources: { logGroupPrefixes: ['/mcp/'] },
    encryption: { kmsKeyArn: KEY_ARN },
  },
  'minimal (no subscribers, servers or monitored resources)': {
    alerts: { emails: [], httpsEndpoints: [], sqsQueues: [], lambdaFunctions: [] },
    servers: [],
    monitoredResources: {},
  },
};

const packs = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

function findings(scope: IConstruct, options: { ignoreAcknowledgments?: boolean } = {}): string[] {
  const result: string[] = [];
  for (const pack of packs()) {
    if (options.ignoreAcknowledgments === true) {
      // The packs consult construct metadata for acknowledgments; bypass it to see raw findings.
      (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    }
    for (const violation of pack.validateScope(scope).violations) {
      for (const resource of violation.violatingResources)
        result.push(`${violation.ruleName} @ ${resource.constructPath}`);
    }
  }
  return result.sort();
}

interface Acknowledgment {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgments(scope: IConstruct): Acknowledgment[] {
  const found: Acknowledgment[] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [qualifiedId, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: qualifiedId.replace(/^[A-Za-z]+::/, ''), reason });
      }
    }
  }
  return found;
}

const addNagPlugins = (_stack: unknown, app: App) =>
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));

describe.each(Object.entries(CONFIGURATIONS))('cdk-nag: %s', (_name, overrides) => {
  it('has zero unacknowledged AwsSolutions and Serverless findings', () => {
    const { stack } = buildStack(overrides);
    expect(findings(stack)).toEqual([]);
  });

  it('synthesizes with both packs registered as validation plugins (a finding would throw)', () => {
    expect(() => buildStack(overrides, { beforeSynth: addNagPlugins })).not.toThrow();
  });

  it('acknowledges one rule at a time, with a specific reason, only where a raw finding exists', () => {
    const { stack } = buildStack(overrides);
    const raw = new Set(findings(stack, { ignoreAcknowledgments: true }));
    const acks = acknowledgments(stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+$/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(40);
      expect(raw.has(`${ack.id} @ ${ack.path}/Resource`) || raw.has(`${ack.id} @ ${ack.path}`)).toBe(true);
    }
  });
});

describe('cdk-nag gate', () => {
  it('acknowledges exactly these rules (review any change here)', () => {
    const { stack } = buildStack({ ingestion: { mode: 'kinesis' }, encryption: { kmsKeyArn: KEY_ARN } });
    const summary = acknowledgments(stack).map(
      (a) => `${a.id} @ ${a.path.replace('McpWatchtower/Monitoring/', '')}`,
    );
    expect(summary.sort()).toEqual(
      [
        'AwsSolutions-KDS3 @ LogStream/Resource',
        'AwsSolutions-SQS3 @ AlertDeliveryDeadLetterQueue/Resource',
        'AwsSolutions-SQS3 @ DeadLetterQueue/Resource',
        'Serverless-LambdaDLQ @ ConfigChangeFunction/Resource',
        'Serverless-LambdaDLQ @ IngestFunction/Resource',
        'Serverless-LambdaTracing @ ConfigChangeFunction/Resource',
        'Serverless-LambdaTracing @ IngestFunction/Resource',
        'Serverless-SQSRedrivePolicy @ AlertDeliveryDeadLetterQueue/Resource',
        'Serverless-SQSRedrivePolicy @ DeadLetterQueue/Resource',
      ].sort(),
    );
  });

  it('reports a non-compliant resource (the packs really run)', () => {
    const { stack } = buildStack(
      {},
      { beforeSynth: (s) => void new Queue(s, 'PlainQueue', { enforceSSL: false }) },
    );
    expect(findings(stack)).toEqual([
      'AwsSolutions-SQS3 @ McpWatchtower/PlainQueue/Resource',
      'AwsSolutions-SQS4 @ McpWatchtower/PlainQueue/Resource',
      'Serverless-SQSRedrivePolicy @ McpWatchtower/PlainQueue/Resource',
    ]);
  });

  it('fails synthesis on a finding', () => {
    expect(() =>
      buildStack(
        {},
        {
          beforeSynth: (s, app) => {
            new Queue(s, 'PlainQueue', { enforceSSL: false });
            addNagPlugins(s, app);
          },
        },
      ),
    ).toThrow(/AwsSolutions-SQS4/);
  });
});
