/**
 * CDK app entry (cdk.json): reads watchtower.config.yaml (or `-c configFile=...`), creates the
 * stack and runs the cdk-nag AwsSolutions and Serverless packs as policy validation plugins, so
 * any unacknowledged finding fails `cdk synth` / `cdk deploy`.
 */
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ConfigFileError, loadConfigFile } from '../config/load-config.js';
import { describeSubscriptions } from '../config/subscription-summary.js';
import { WatchtowerStack } from '../stacks/watchtower-stack.js';

const app = new App();
const configFile = resolve(String(app.node.tryGetContext('configFile') ?? 'watchtower.config.yaml'));

try {
  const { deployment, engineConfig } = loadConfigFile(configFile);
  // stderr: stdout may carry the template (cdk synth without --quiet).
  const subscriptions = describeSubscriptions(deployment);
  for (const line of [...subscriptions.lines, ...subscriptions.warnings]) console.error(line);
  new WatchtowerStack(app, deployment.stackName, {
    deployment,
    engineConfig,
    // No env: the stack is environment-agnostic and synthesizes without credentials or lookups.
    ...(deployment.env === undefined ? {} : { env: deployment.env }),
  });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
  app.synth();
} catch (error) {
  if (error instanceof ConfigFileError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
