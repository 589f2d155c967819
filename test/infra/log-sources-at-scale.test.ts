/**
 * Many log groups must not multiply permissions or policies: one Lambda permission for CloudWatch
 * Logs however many groups, and with prefixes ONE account-level subscription filter policy that
 * excludes the pipeline's own log groups.
 */
import { describe, expect, it } from 'vitest';
import { buildStack } from './support/build-stack.js';
import { countByType, identityStatements, onlyResource, resources } from './support/template-queries.js';

const sixtyGroups = Array.from(
  { length: 60 },
  (_, i) => `/aws/lambda/mcp-server-${String(i).padStart(2, '0')}`,
);
const logsPermissionCount = (template: ReturnType<typeof buildStack>['template']) =>
  resources(template, 'AWS::Lambda::Permission').filter(
    ([, p]) => p.Properties?.Principal === 'logs.amazonaws.com',
  ).length;

describe('60 log groups by name', () => {
  const one = buildStack({ sources: { logGroups: ['/aws/lambda/mcp-server-00'] } }).template;
  const sixty = buildStack({ sources: { logGroups: sixtyGroups } }).template;

  it('adds one subscription filter per group and nothing else', () => {
    const oneCounts = countByType(one);
    const sixtyCounts = countByType(sixty);
    expect(sixtyCounts['AWS::Logs::SubscriptionFilter']).toBe(60);
    expect({ ...sixtyCounts, 'AWS::Logs::SubscriptionFilter': 1 }).toEqual(oneCounts);
  });

  it('keeps ONE Lambda permission for CloudWatch Logs and the same IAM statements', () => {
    expect(logsPermissionCount(one)).toBe(1);
    expect(logsPermissionCount(sixty)).toBe(1);
    expect(identityStatements(sixty)).toEqual(identityStatements(one));
    sixty.resourceCountIs('AWS::Logs::AccountPolicy', 0);
  });

  it('gives each filter a logical id derived from its log group name (reordering replaces nothing)', () => {
    const reversed = buildStack({ sources: { logGroups: [...sixtyGroups].reverse() } }).template;
    const ids = (t: typeof sixty) =>
      resources(t, 'AWS::Logs::SubscriptionFilter')
        .map(([id]) => id)
        .sort();
    expect(ids(reversed)).toEqual(ids(sixty));
  });
});

describe('log group prefixes: one account-level subscription filter policy', () => {
  const { template } = buildStack({
    sources: { logGroups: sixtyGroups, logGroupPrefixes: ['/mcp/', '/ecs/mcp-'] },
  });

  it('creates ONE SUBSCRIPTION_FILTER_POLICY to the ingest Lambda and no per-group filters', () => {
    const [, policy] = onlyResource(template, 'AWS::Logs::AccountPolicy');
    expect(policy.Properties).toMatchObject({
      PolicyName: 'McpWatchtower-mcp-log-subscription',
      PolicyType: 'SUBSCRIPTION_FILTER_POLICY',
      Scope: 'ALL',
    });
    expect(policy.Properties?.PolicyDocument).toEqual({
      'Fn::Join': [
        '',
        [
          '{"DestinationArn":"',
          { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringIngestFunction/), 'Arn'] },
          '","FilterPattern":""}',
        ],
      ],
    });
    expect(policy.DependsOn).toEqual([
      expect.stringMatching(/^MonitoringLogSubscriptionsLogsInvokePermission/),
    ]);
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    expect(logsPermissionCount(template)).toBe(1);
  });

  it('excludes exactly the pipeline’s own log groups (no feedback loop)', () => {
    const [, policy] = onlyResource(template, 'AWS::Logs::AccountPolicy');
    expect(policy.Properties?.SelectionCriteria).toEqual({
      'Fn::Join': [
        '',
        [
          'LogGroupName NOT IN ["',
          { Ref: expect.stringMatching(/^MonitoringIngestLogGroup/) },
          '","',
          { Ref: expect.stringMatching(/^MonitoringConfigChangeLogGroup/) },
          '"]',
        ],
      ],
    });
  });

  it('tells the ingest Lambda which log groups to keep', () => {
    const ingest = resources(template, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('MonitoringIngestFunction'),
    )!;
    const variables = (ingest[1].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.SOURCE_LOG_GROUP_PREFIXES).toBe('/mcp/,/ecs/mcp-');
    expect(variables.SOURCE_LOG_GROUP_NAMES).toBe(sixtyGroups.join(','));
    const configChange = resources(template, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('MonitoringConfigChangeFunction'),
    )!;
    expect(
      Object.keys((configChange[1].Properties?.Environment as { Variables: object }).Variables),
    ).not.toContain('SOURCE_LOG_GROUP_PREFIXES');
  });

  it('does not grow with more names or prefixes', () => {
    const small = buildStack({ sources: { logGroupPrefixes: ['/mcp/'] } }).template;
    expect(countByType(small)).toEqual(countByType(template));
    expect(identityStatements(small)).toEqual(identityStatements(template));
  });

  it('writes into Kinesis with the logs role when Kinesis ingestion is used', () => {
    const kinesis = buildStack({
      sources: { logGroupPrefixes: ['/mcp/'] },
      ingestion: { mode: 'kinesis' },
    }).template;
    const [, policy] = onlyResource(kinesis, 'AWS::Logs::AccountPolicy');
    expect(policy.Properties?.PolicyDocument).toEqual({
      'Fn::Join': [
        '',
        [
          '{"DestinationArn":"',
          { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringLogStream/), 'Arn'] },
          '","RoleArn":"',
          { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringLogSubscriptionsLogsToKinesisRole/), 'Arn'] },
          '","Distribution":"Random","FilterPattern":""}',
        ],
      ],
    });
  });

  it('refuses a source list that would overflow the 4 KB Lambda environment', () => {
    const huge = Array.from(
      { length: 200 },
      (_, i) => `/aws/lambda/a-rather-long-mcp-server-name-number-${i}`,
    );
    expect(() => buildStack({ sources: { logGroups: huge, logGroupPrefixes: ['/mcp/'] } })).toThrow(
      /environment needs \d+ bytes of the 4096 Lambda allows/,
    );
  });
});
