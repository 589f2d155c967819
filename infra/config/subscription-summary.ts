/**
 * What a deployment will subscribe, in words, printed by the CDK app on every synth and deploy so
 * nobody turns on an account-wide subscription without noticing. Log groups named in
 * `sources.logGroups` get one subscription filter each; any `sources.logGroupPrefixes` entry
 * switches to ONE account-level subscription filter policy that delivers every log group of the
 * account and region (except the pipeline's own) to the pipeline, which then drops what matches
 * neither a name nor a prefix (see infra/constructs/log-subscriptions.ts).
 */
import type { DeploymentConfig } from './deployment-schema.js';

export interface SubscriptionSummary {
  /** What will be subscribed and how. */
  readonly lines: readonly string[];
  /** Things the operator should confirm (an account-wide policy). */
  readonly warnings: readonly string[];
}

const LIST_LIMIT = 20;

function list(names: readonly string[]): string {
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown}, … (${names.length - LIST_LIMIT} more)` : shown;
}

export function describeSubscriptions(deployment: DeploymentConfig): SubscriptionSummary {
  const { logGroups, logGroupPrefixes } = deployment.sources;
  const target = deployment.ingestion.mode === 'kinesis' ? 'the Kinesis stream' : 'the ingest Lambda';
  const stack = deployment.stackName;
  if (logGroupPrefixes.length === 0) {
    return {
      lines: [
        `${stack}: subscribing ${logGroups.length} log group${logGroups.length === 1 ? '' : 's'} by name to ${target} (one subscription filter each): ${list(logGroups)}`,
      ],
      warnings: [],
    };
  }
  return {
    lines: [
      `${stack}: log group prefixes ${list(logGroupPrefixes)}${logGroups.length > 0 ? ` and log groups ${list(logGroups)}` : ''} selected through ONE account-level subscription filter policy to ${target}`,
    ],
    warnings: [
      `WARNING: the account-level policy delivers EVERY log group in this account and region (except the pipeline's own) to ${target}, which keeps only the names and prefixes above; all other log traffic is delivered and discarded at your cost, and the policy replaces any existing account-level subscription policy. To subscribe only what you name, list the log groups under deployment.sources.logGroups and remove logGroupPrefixes.`,
    ],
  };
}
