/**
 * deployment.integrations with all three destinations: cdk-nag clean, and the template grants
 * exactly what each piece needs (Security Hub import on the default product only, the one
 * routing-key secret only, publishing to the new topics only for the pipeline functions).
 */
import { Validations, type App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { DeploymentInput } from '../../infra/config/deployment-schema.js';
import { DeploymentSchema } from '../../infra/config/deployment-schema.js';
import { buildStack } from './support/build-stack.js';
import { actionsOf, resources, roleStatements } from './support/template-queries.js';

const ALL_THREE: Partial<DeploymentInput> = {
  integrations: {
    securityHub: { enabled: true },
    chat: { enabled: true },
    pagerDuty: { routingKeySecretName: 'mcp-watchtower/pagerduty', minSeverity: 'high' },
  },
};
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function findings(scope: IConstruct): string[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new ServerlessChecks()];
  return packs.flatMap((pack) => pack.validateScope(scope).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`))).sort();
}

const json = (value: unknown) => JSON.stringify(value);
type PolicyStatementJson = Parameters<typeof actionsOf>[0];

describe('integrations: Security Hub, chat and PagerDuty', () => {
  it('the schema defaults them off and validates the secret name', () => {
    const base = { sources: { logGroups: ['/aws/lambda/files-mcp'] } };
    expect(DeploymentSchema.parse(base).integrations).toEqual({ securityHub: { enabled: false }, chat: { enabled: false }, pagerDuty: { minSeverity: 'high' } });
    expect(DeploymentSchema.safeParse({ ...base, integrations: { pagerDuty: { routingKeySecretName: 'bad name!' } } }).success).toBe(false);
    expect(DeploymentSchema.safeParse({ ...base, integrations: { slack: {} } }).success).toBe(false);
  });

  it.each([
    ['AWS managed keys', ALL_THREE],
    ['customer key, kinesis', { ...ALL_THREE, encryption: { kmsKeyArn: KEY_ARN }, ingestion: { mode: 'kinesis' } }],
  ] as const)('has zero unacknowledged cdk-nag findings with all three enabled (%s), also as synth plugins', (_name, overrides) => {
    const { stack } = buildStack(overrides as Partial<DeploymentInput>);
    expect(findings(stack)).toEqual([]);
    expect(() =>
      buildStack(overrides as Partial<DeploymentInput>, { beforeSynth: (_s: unknown, app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app)) }),
    ).not.toThrow();
  }, 240_000);

  it('grants least privilege: Security Hub import on the default product only, the routing-key secret only', () => {
    const { template } = buildStack(ALL_THREE);
    const hub = roleStatements(template, 'MonitoringIntegrationsSecurityHubRole');
    const allowed = ['logs:CreateLogStream', 'logs:PutLogEvents', 'securityhub:BatchImportFindings', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
    expect(hub.flatMap(actionsOf).filter((a) => !allowed.includes(a))).toEqual([]);
    const importStatement = hub.find((s) => actionsOf(s).includes('securityhub:BatchImportFindings'));
    expect(actionsOf(importStatement as PolicyStatementJson)).toEqual(['securityhub:BatchImportFindings']);
    expect(json(importStatement?.Resource)).toBe(
      json({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':product/', { Ref: 'AWS::AccountId' }, '/default']] }),
    );

    const pd = roleStatements(template, 'MonitoringIntegrationsPagerDutyRole');
    const secret = pd.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secret).toHaveLength(1);
    expect(actionsOf(secret[0] as PolicyStatementJson)).toEqual(['secretsmanager:GetSecretValue']);
    expect(json(secret[0]?.Resource)).toContain(':secret:mcp-watchtower/pagerduty-??????');
    expect(pd.flatMap(actionsOf).filter((a) => a.startsWith('sns:') || a.startsWith('dynamodb:') || a.startsWith('securityhub:'))).toEqual([]);
    expect(hub.flatMap(actionsOf).filter((a) => a.startsWith('secretsmanager:') || a.startsWith('sns:') || a.startsWith('dynamodb:'))).toEqual([]);

    // No '*' action and no '*' resource anywhere in the forwarders' policies.
    for (const s of [...hub, ...pd]) {
      expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
      expect(json(s.Resource)).not.toBe('"*"');
    }
  });

  it('lets the pipeline functions publish to the chat and integration topics and tells them where', () => {
    const { template } = buildStack(ALL_THREE);
    const ingest = roleStatements(template, 'MonitoringIngestRole');
    const publish = ingest.filter((s) => actionsOf(s).includes('sns:Publish'));
    expect(json(publish)).toContain('IntegrationsChatTopic');
    expect(json(publish)).toContain('IntegrationsIntegrationTopic');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('decodes MCP logs'),
      Environment: { Variables: Match.objectLike({ CHAT_TOPIC_ARN: Match.anyValue(), INTEGRATION_TOPIC_ARN: Match.anyValue(), WATCHTOWER_ACCOUNT_ID: { Ref: 'AWS::AccountId' } }) },
    });
  });

  it('subscribes the forwarders through SQS queues with a DLQ; PagerDuty filtered to its minimum severity', () => {
    const { template } = buildStack(ALL_THREE);
    const subscriptions = resources(template, 'AWS::SNS::Subscription').filter(([, r]) => json(r.Properties?.TopicArn).includes('IntegrationTopic'));
    expect(subscriptions).toHaveLength(2);
    expect(subscriptions.every(([, r]) => r.Properties?.RawMessageDelivery === true && r.Properties?.RedrivePolicy !== undefined)).toBe(true);
    expect(subscriptions.map(([, r]) => json(r.Properties?.FilterPolicy ?? null)).sort()).toEqual(['null', json({ severity: ['critical', 'high'] })].sort());
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties ?? {});
    expect(mappings.map((m) => [m.BatchSize, m.FunctionResponseTypes]).sort()).toEqual([
      [10, ['ReportBatchItemFailures']],
      [100, ['ReportBatchItemFailures']],
    ]);
    template.hasOutput('ChatTopicArn', {});
  });

  it('adds nothing when no integration is enabled', () => {
    const { template } = buildStack({});
    expect(resources(template, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(resources(template, 'AWS::Lambda::EventSourceMapping')).toHaveLength(0);
  });
});
