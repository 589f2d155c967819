/**
 * Connects the MCP servers' log groups to the pipeline (the ingest Lambda or the Kinesis stream).
 *
 * - Log groups by name only: one subscription filter per log group.
 * - Any name prefix: ONE account-level subscription filter policy. CloudWatch Logs can only
 *   exclude log groups from such a policy (`LogGroupName NOT IN [...]`), never select by prefix,
 *   so the policy covers every log group except the pipeline's own, and the ingest Lambda keeps
 *   only the configured names and prefixes (SOURCE_LOG_GROUP_NAMES / SOURCE_LOG_GROUP_PREFIXES).
 *
 * Either way the Lambda has ONE resource-policy statement for CloudWatch Logs, scoped to this
 * account's log groups by source ARN pattern, however many log groups there are.
 */
import { createHash } from 'node:crypto';
import { Aws, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { CfnAccountPolicy, CfnSubscriptionFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';

/** Where subscribed log events go. */
export type LogSubscriptionTarget =
  | { readonly kind: 'lambda'; readonly function: IFunction }
  | { readonly kind: 'kinesis'; readonly stream: IStream };

export interface LogSubscriptionsProps {
  /** Log groups subscribed by name or as constructs. */
  readonly logGroups: readonly (ILogGroup | string)[];
  /** Log group name prefixes; any prefix switches to the account-level policy. */
  readonly logGroupPrefixes: readonly string[];
  readonly target: LogSubscriptionTarget;
  /** The pipeline's own log groups: never subscribed (a subscription would feed itself). */
  readonly ownLogGroups: readonly ILogGroup[];
  /** Name of the account-level policy (unique in the account). */
  readonly accountPolicyName: string;
}

export class LogSubscriptions extends Construct {
  /** The account-level subscription filter policy, when prefixes are used. */
  readonly accountPolicy?: CfnAccountPolicy;
  /** Per-log-group subscription filters, when only names are used. */
  readonly subscriptionFilters: readonly CfnSubscriptionFilter[];
  /** The role CloudWatch Logs assumes to write into Kinesis (Kinesis ingestion only). */
  readonly logsToKinesisRole?: IRole;

  constructor(scope: Construct, id: string, props: LogSubscriptionsProps) {
    super(scope, id);
    const useAccountPolicy = props.logGroupPrefixes.length > 0;

    let destinationArn: string;
    let ready: IDependable;
    let roleArn: string | undefined;
    if (props.target.kind === 'lambda') {
      const permission = new CfnPermission(this, 'LogsInvokePermission', {
        action: 'lambda:InvokeFunction',
        functionName: props.target.function.functionArn,
        principal: 'logs.amazonaws.com',
        sourceAccount: Aws.ACCOUNT_ID,
        sourceArn: `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
      });
      destinationArn = props.target.function.functionArn;
      ready = permission;
    } else {
      const role = new Role(this, 'LogsToKinesisRole', {
        description: 'Lets CloudWatch Logs put subscribed log events into the MCP Watchtower stream',
        assumedBy: new ServicePrincipal('logs.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
          },
        }),
      });
      const policy = role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kinesis:PutRecord', 'kinesis:PutRecords'],
          resources: [props.target.stream.streamArn],
        }),
      );
      const key = props.target.stream.encryptionKey;
      if (key !== undefined) {
        role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [key.keyArn] }),
        );
      }
      this.logsToKinesisRole = role;
      destinationArn = props.target.stream.streamArn;
      roleArn = role.roleArn;
      ready = policy.policyDependable ?? role;
    }

    if (useAccountPolicy) {
      const ownNames = props.ownLogGroups.map((group) => group.logGroupName);
      this.accountPolicy = new CfnAccountPolicy(this, 'SubscriptionFilterPolicy', {
        policyName: props.accountPolicyName,
        policyType: 'SUBSCRIPTION_FILTER_POLICY',
        scope: 'ALL',
        policyDocument: Stack.of(this).toJsonString({
          DestinationArn: destinationArn,
          ...(roleArn === undefined ? {} : { RoleArn: roleArn, Distribution: 'Random' }),
          FilterPattern: '',
        }),
        selectionCriteria: Fn.join('', ['LogGroupName NOT IN ', Stack.of(this).toJsonString(ownNames)]),
      });
      this.accountPolicy.node.addDependency(ready);
      this.subscriptionFilters = [];
    } else {
      this.subscriptionFilters = props.logGroups.map((group) => {
        const name = typeof group === 'string' ? group : group.logGroupName;
        const filter = new CfnSubscriptionFilter(this, `Subscription-${stableId(subscriptionKey(group))}`, {
          logGroupName: name,
          destinationArn,
          filterPattern: '',
          ...(roleArn === undefined ? {} : { roleArn, distribution: 'Random' }),
        });
        filter.node.addDependency(ready);
        return filter;
      });
    }
  }
}

/**
 * With the account-level policy every log group but the pipeline's own reaches the ingest Lambda;
 * these environment variables tell it which to keep (exact names, comma-separated; name prefixes,
 * comma-separated). Without prefixes the subscriptions already select the sources: none are set.
 */
export function sourceFilterEnvironment(
  logGroups: readonly (ILogGroup | string)[],
  logGroupPrefixes: readonly string[],
): Record<string, string> {
  if (logGroupPrefixes.length === 0) return {};
  const names = logGroups.map((group) => (typeof group === 'string' ? group : group.logGroupName));
  return {
    // Literal names stay a literal string, so the 4 KB environment check can measure them.
    SOURCE_LOG_GROUP_NAMES: names.some((name) => Token.isUnresolved(name))
      ? Fn.join(',', names)
      : names.join(','),
    SOURCE_LOG_GROUP_PREFIXES: logGroupPrefixes.join(','),
  };
}

function subscriptionKey(group: ILogGroup | string): string {
  return typeof group === 'string' ? group : Names.nodeUniqueId(group.node);
}

/** A construct id that survives reordering of the source list (so filters are not replaced). */
function stableId(name: string): string {
  const readable = name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${readable}-${digest}`;
}
