/**
 * Builds WatchtowerStack from a deployment section for the infra tests. Bundling is skipped
 * (context aws:cdk:bundling-stacks = []) except where a test asks for it.
 */
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeploymentSchema, type DeploymentInput } from '../../../infra/config/deployment-schema.js';
import { WatchtowerStack } from '../../../infra/stacks/watchtower-stack.js';

export const ENGINE_CONFIG = {
  detectors: { 'secret-in-tool-output': { enabled: true } },
  allowLists: { principals: [] },
};

export const BASE_DEPLOYMENT: DeploymentInput = {
  stackName: 'McpWatchtower',
  sources: { logGroups: ['/aws/lambda/files-mcp'] },
  alerts: {
    emails: [{ address: 'sec@example.com', minSeverity: 'high' }],
    httpsEndpoints: [
      { url: 'https://events.pagerduty.com/integration/abc/enqueue', minSeverity: 'critical' },
    ],
    sqsQueues: [{ queueArn: 'arn:aws:sqs:us-east-1:111122223333:soc-intake' }],
    lambdaFunctions: [
      { functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:chatops', minSeverity: 'medium' },
    ],
  },
  monitoredResources: {
    lambdaFunctionNames: ['files-mcp'],
    ecsClusterNames: ['mcp-cluster'],
    ecsTaskDefinitionFamilies: ['search-mcp'],
    iamRoleNames: ['files-mcp-role'],
    ssmParameterPrefixes: ['/mcp/'],
    agentCoreGatewayIds: ['gw-0123456789'],
  },
  servers: ['files-mcp', 'search-mcp'],
};

/** Stand-in entry for template tests (never bundled); see fixtures/synth-only-entry.ts. */
export const SYNTH_ONLY_ENTRIES = {
  ingest: fileURLToPath(new URL('../fixtures/synth-only-entry.ts', import.meta.url)),
  configChange: fileURLToPath(new URL('../fixtures/synth-only-entry.ts', import.meta.url)),
};

export interface BuiltStack {
  readonly app: App;
  readonly stack: WatchtowerStack;
  readonly template: Template;
}

/**
 * Template tests: bundling skipped, synth-only entries. `bundle: true` bundles the repository's
 * real handlers with esbuild (the default entries of the construct).
 */
export function buildStack(
  overrides: Partial<DeploymentInput> = {},
  options: { bundle?: boolean; beforeSynth?: (stack: WatchtowerStack, app: App) => void } = {},
): BuiltStack {
  const bundle = options.bundle === true;
  const app = new App({ context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const deployment = DeploymentSchema.parse({ ...BASE_DEPLOYMENT, ...overrides });
  const stack = new WatchtowerStack(app, deployment.stackName, {
    deployment,
    engineConfig: ENGINE_CONFIG,
    ...(bundle ? {} : { handlerEntries: SYNTH_ONLY_ENTRIES }),
  });
  options.beforeSynth?.(stack, app);
  return { app, stack, template: Template.fromStack(stack) };
}
