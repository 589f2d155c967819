/**
 * Safe deploy defaults: the shipped watchtower.config.yaml subscribes log groups by name only (no
 * account-wide policy), and the summary the CDK app prints on synth says what will be subscribed,
 * with a warning whenever prefixes turn on the account-level policy.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeploymentSchema } from '../../infra/config/deployment-schema.js';
import { loadConfigFile } from '../../infra/config/load-config.js';
import { describeSubscriptions } from '../../infra/config/subscription-summary.js';
import { REPO_ROOT } from '../../infra/constructs/watchtower-function.js';
import { buildStack } from './support/build-stack.js';

describe('the shipped config', () => {
  const { deployment } = loadConfigFile(join(REPO_ROOT, 'watchtower.config.yaml'));

  it('names its log groups and asks for no account-wide subscription policy', () => {
    expect(deployment.sources.logGroupPrefixes).toEqual([]);
    expect(deployment.sources.logGroups.length).toBeGreaterThan(0);
    const template = buildStack({ sources: { logGroups: [...deployment.sources.logGroups] } }).template;
    template.resourceCountIs('AWS::Logs::AccountPolicy', 0);
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', deployment.sources.logGroups.length);
  });

  it('synth prints the log groups it subscribes, without a warning', () => {
    expect(describeSubscriptions(deployment)).toEqual({
      lines: [
        'McpWatchtower: subscribing 3 log groups by name to the ingest Lambda (one subscription filter each): /ecs/files-mcp, /ecs/mail-mcp, /aws/lambda/docs-mcp',
      ],
      warnings: [],
    });
  });
});

describe('describeSubscriptions', () => {
  it('warns when prefixes switch to the account-level policy', () => {
    const summary = describeSubscriptions(DeploymentSchema.parse({ sources: { logGroupPrefixes: ['/mcp/', '/ecs/mcp-'] } }));
    expect(summary.lines).toEqual([
      'McpWatchtower: log group prefixes /mcp/, /ecs/mcp- selected through ONE account-level subscription filter policy to the ingest Lambda',
    ]);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toMatch(/^WARNING: the account-level policy delivers EVERY log group in this account and region .* list the log groups under deployment\.sources\.logGroups/);
  });

  it('shortens long lists', () => {
    const names = Array.from({ length: 25 }, (_, i) => `/ecs/mcp-${i}`);
    const [line] = describeSubscriptions(DeploymentSchema.parse({ sources: { logGroups: names }, ingestion: { mode: 'kinesis' } })).lines;
    expect(line).toMatch(/^McpWatchtower: subscribing 25 log groups by name to the Kinesis stream \(one subscription filter each\): \/ecs\/mcp-0, .*\/ecs\/mcp-19, … \(5 more\)$/);
  });
});
