/**
 * McpSecurityMonitoring: security monitoring for MCP servers that log to CloudWatch Logs.
 *
 *   log groups ──(subscription filters | one account policy)──▶ [Kinesis] ──▶ ingest Lambda
 *   CloudTrail changes of MCP resources ──EventBridge──▶ config-change Lambda
 *   both ──▶ DynamoDB state table, SNS alert topic, EMF metrics ──▶ dashboard + alarms ──▶ topic
 *   failures ──▶ SQS DLQ (for `mcp-watchtower redrive`)
 */
import { join } from 'node:path';
import { Annotations, Aws, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertIntegrations, type AlertIntegrationsOptions } from './alert-integrations.js';
import { AlertTopic, type AlertSubscribers } from './alert-topic.js';
import { ConfigChangeRules, type MonitoredResources } from './config-change-rules.js';
import { LogSubscriptions, sourceFilterEnvironment } from './log-subscriptions.js';
import { QueueEventSourceDlq, QueueFailureDestination } from './queue-destinations.js';
import { WatchtowerAlarms } from './watchtower-alarms.js';
import { WatchtowerDashboard } from './watchtower-dashboard.js';
import {
  BUNDLED_CONFIG_PATH,
  REPO_ROOT,
  WatchtowerFunction,
  writeEngineConfigFile,
} from './watchtower-function.js';
import { SERVICE_NAME, METRICS_NAMESPACE, WatchtowerMetrics } from './watchtower-metrics.js';
import { withRuleDocuments } from '../config/embed-rules.js';

export type IngestionMode = 'direct' | 'kinesis';
export type PipelineLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Which log groups the pipeline reads. */
export interface McpLogSources {
  /**
   * Log groups to subscribe, as constructs or names. Without prefixes each gets its own
   * subscription filter.
   * @default - none
   */
  readonly logGroups?: readonly (ILogGroup | string)[];
  /**
   * Log group name prefixes. Any prefix switches to ONE account-level subscription filter policy
   * covering every log group but the pipeline's own; the ingest Lambda then drops events from
   * log groups that match neither `logGroups` nor a prefix. One such policy per account and region.
   * @default - none
   */
  readonly logGroupPrefixes?: readonly string[];
}

/** Kinesis Data Streams between CloudWatch Logs and the ingest Lambda (`ingestion: 'kinesis'`). */
export interface KinesisIngestionOptions {
  /**
   * Provisioned shard count.
   * @default - on-demand capacity mode
   */
  readonly shardCount?: number;
  /**
   * Records per Lambda invocation (each record is one CloudWatch Logs payload of many events).
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * Concurrent batches per shard.
   * @default 2
   */
  readonly parallelizationFactor?: number;
  /**
   * How long Lambda gathers records before invoking.
   * @default Duration.seconds(1)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Stream retention.
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Let the handler report the failed records of a batch (Powertools partial batch response),
   * so only those are retried.
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;
}

export interface McpSecurityMonitoringProps {
  /** The MCP servers' log groups. */
  readonly sources: McpLogSources;
  /**
   * `direct`: CloudWatch Logs invokes the ingest Lambda (up to a few thousand events/s).
   * `kinesis`: CloudWatch Logs writes to a Kinesis stream the Lambda consumes.
   * @default 'direct'
   */
  readonly ingestion?: IngestionMode;
  /**
   * Kinesis settings, used when `ingestion` is `kinesis`.
   * @default - on-demand stream, batch size 1000, parallelization factor 2
   */
  readonly kinesis?: KinesisIngestionOptions;
  /**
   * Who receives alerts and alarm notifications.
   * @default - no subscriptions (subscribe to the topic later)
   */
  readonly alertSubscribers?: AlertSubscribers;
  /**
   * Customer managed KMS key for the table, topic, queues, stream and log groups. Its key policy
   * must admit the services listed in docs/deploy.md (CloudWatch alarms, SNS, EventBridge,
   * CloudWatch Logs).
   * @default - AWS managed keys, and a key created for the topic (alarms cannot use alias/aws/sns)
   */
  readonly encryptionKey?: IKey;
  /**
   * Retention of the pipeline's own log groups.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * The engine config (detectors, allow-lists, suppressions, …) as plain JSON; written as
   * watchtower.config.json into both bundles.
   * @default {} (engine defaults)
   */
  readonly engineConfig?: Readonly<Record<string, unknown>>;
  /**
   * MCP resources whose configuration changes (CloudTrail) raise alerts.
   * @default - none (the config-change Lambda is deployed without rules)
   */
  readonly monitoredResources?: MonitoredResources;
  /**
   * MCP server names (the `Server` metric dimension) that get anomaly alarms and a dashboard row.
   * @default - none
   */
  readonly servers?: readonly string[];
  /**
   * Fate of stored data (state table, log groups, the topic key this construct creates) when the
   * stack is deleted. RETAIN also turns on the table's deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * POWERTOOLS_LOG_LEVEL of both functions.
   * @default 'INFO'
   */
  readonly logLevel?: PipelineLogLevel;
  /**
   * Memory of the ingest function (CPU scales with it).
   * @default 1024
   */
  readonly ingestMemorySize?: number;
  /**
   * Concurrency reserved for the ingest function, which is also its cap: an account-wide
   * subscription (or a log flood) cannot take the whole account's Lambda concurrency, and throttled
   * deliveries are retried (asynchronous invoke, Kinesis) rather than lost. In Kinesis mode keep it
   * at least shards × parallelization factor. `undefined` reserves nothing.
   * @default 20
   */
  readonly ingestReservedConcurrency?: number;
  /**
   * Prefix of alarm names, the dashboard name (`<prefix>-<region>`) and the account policy name.
   * @default - the stack name
   */
  readonly namePrefix?: string;
  /**
   * Anomaly band width in standard deviations.
   * @default 3
   */
  readonly anomalyStdDevs?: number;
  /**
   * Period of the MCP server metrics on the dashboard and in the anomaly alarms.
   * @default Duration.minutes(5)
   */
  readonly metricPeriod?: Duration;
  /**
   * How often the ingest function evaluates the detectors that alert on absence
   * (RES-TELEMETRY-GAP): silence produces no log event, so an EventBridge schedule invokes it.
   * `false` turns the schedule off (gaps are then only reported when the server logs again).
   * @default Duration.minutes(5)
   */
  readonly absenceCheckInterval?: Duration | false;
  /**
   * Destinations besides the topic: Security Hub, a chat topic, PagerDuty (alert-integrations.ts).
   * @default - none
   */
  readonly integrations?: AlertIntegrationsOptions;
  /**
   * Handler entry files.
   * @default - functions/handlers/ingest.ts and functions/handlers/config-change.ts of this repository
   */
  readonly handlerEntries?: { readonly ingest: string; readonly configChange: string };
}

/** The repository's Lambda entry points. */
export function defaultHandlerEntries(): { readonly ingest: string; readonly configChange: string } {
  return {
    ingest: join(REPO_ROOT, 'functions', 'handlers', 'ingest.ts'),
    configChange: join(REPO_ROOT, 'functions', 'handlers', 'config-change.ts'),
  };
}

/** Lambda's limit on the total size of a function's environment variables. */
const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;
/** Reserved (and maximum) concurrency of the ingest function unless configured. */
export const DEFAULT_INGEST_RESERVED_CONCURRENCY = 20;

export class McpSecurityMonitoring extends Construct {
  readonly topic: Topic;
  /** The key that encrypts the topic. */
  readonly topicKey: IKey;
  readonly table: Table;
  readonly ingestFunction: WatchtowerFunction;
  readonly configChangeFunction: WatchtowerFunction;
  readonly dashboard: Dashboard;
  /** Failed invocations, failed Kinesis batches and undeliverable EventBridge events. */
  readonly deadLetterQueue: Queue;
  /** Alerts SNS could not deliver to a subscriber. */
  readonly alertDeliveryDeadLetterQueue: Queue;
  readonly stream?: Stream;
  readonly alarms: WatchtowerAlarms;
  /** The schedule that runs absence detectors, unless turned off. */
  readonly absenceCheckRule?: Rule;
  readonly logSubscriptions: LogSubscriptions;
  readonly configChangeRules: ConfigChangeRules;
  readonly ingestLogGroup: LogGroup;
  readonly configChangeLogGroup: LogGroup;
  /** Security Hub, chat and PagerDuty destinations, when configured. */
  readonly integrations?: AlertIntegrations;

  constructor(scope: Construct, id: string, props: McpSecurityMonitoringProps) {
    super(scope, id);
    const logGroups = props.sources.logGroups ?? [];
    const logGroupPrefixes = props.sources.logGroupPrefixes ?? [];
    if (logGroups.length === 0 && logGroupPrefixes.length === 0) {
      throw new Error('McpSecurityMonitoring: sources needs at least one log group or log group prefix');
    }
    const ingestion = props.ingestion ?? 'direct';
    const key = props.encryptionKey;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const namePrefix = props.namePrefix ?? Stack.of(this).stackName;
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;

    // ---- storage and queues -------------------------------------------------------------
    this.table = new Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      ...(key === undefined
        ? { encryption: TableEncryption.AWS_MANAGED }
        : { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key }),
      removalPolicy,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    });

    const queueEncryption =
      key === undefined
        ? { encryption: QueueEncryption.SQS_MANAGED }
        : { encryption: QueueEncryption.KMS, encryptionMasterKey: key };
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...queueEncryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.alertDeliveryDeadLetterQueue = new Queue(this, 'AlertDeliveryDeadLetterQueue', {
      ...queueEncryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    for (const queue of [this.deadLetterQueue, this.alertDeliveryDeadLetterQueue]) {
      acknowledge(
        queue,
        'AwsSolutions-SQS3',
        'This queue is itself a dead-letter queue; nothing consumes it automatically.',
      );
      acknowledge(
        queue,
        'Serverless-SQSRedrivePolicy',
        'This queue is itself a dead-letter queue; it needs no redrive policy.',
      );
    }

    const alertTopic = new AlertTopic(this, 'Alerts', {
      ...(key === undefined ? {} : { encryptionKey: key }),
      deliveryDeadLetterQueue: this.alertDeliveryDeadLetterQueue,
      ...(props.alertSubscribers === undefined ? {} : { subscribers: props.alertSubscribers }),
      keyRemovalPolicy: removalPolicy,
    });
    this.topic = alertTopic.topic;
    this.topicKey = alertTopic.key;
    if (key !== undefined) {
      Annotations.of(this).addInfo(
        'McpSecurityMonitoring: the customer managed key is imported, so its key policy cannot be edited here. ' +
          'It must admit cloudwatch.amazonaws.com, sns.amazonaws.com, events.amazonaws.com and logs.<region>.amazonaws.com (docs/deploy.md).',
      );
    }

    // ---- functions -----------------------------------------------------------------------
    const logGroupProps = {
      retention,
      removalPolicy,
      ...(key === undefined ? {} : { encryptionKey: key }),
    };
    this.ingestLogGroup = new LogGroup(this, 'IngestLogGroup', logGroupProps);
    this.configChangeLogGroup = new LogGroup(this, 'ConfigChangeLogGroup', logGroupProps);
    const ownLogGroups = [this.ingestLogGroup, this.configChangeLogGroup];

    let stream: Stream | undefined;
    if (ingestion === 'kinesis') {
      const kinesis = props.kinesis ?? {};
      stream = new Stream(this, 'LogStream', {
        ...(kinesis.shardCount === undefined
          ? { streamMode: StreamMode.ON_DEMAND }
          : { streamMode: StreamMode.PROVISIONED, shardCount: kinesis.shardCount }),
        retentionPeriod: kinesis.retentionPeriod ?? Duration.hours(24),
        ...(key === undefined
          ? { encryption: StreamEncryption.MANAGED }
          : { encryption: StreamEncryption.KMS, encryptionKey: key }),
        // Records live for the retention period only, and a retained stream keeps billing.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      if (key !== undefined) {
        acknowledge(
          stream,
          'AwsSolutions-KDS3',
          'A customer managed key was configured on purpose (encryption.kmsKeyArn).',
        );
      }
      this.stream = stream;
    }

    // Rule files named by the config are embedded as documents (a no-op when the app already did).
    const engineConfigFile = writeEngineConfigFile(withRuleDocuments(props.engineConfig ?? {}, undefined, { lenient: true }));
    const integrationOptions = props.integrations ?? {};
    if (integrationOptions.securityHub === true || integrationOptions.chat === true || integrationOptions.pagerDuty !== undefined) {
      this.integrations = new AlertIntegrations(this, 'Integrations', {
        ...integrationOptions,
        topicKey: this.topicKey,
        ...(key === undefined ? {} : { encryptionKey: key }),
        engineConfigFile,
        logRetention: retention,
        removalPolicy,
        logLevel: props.logLevel ?? 'INFO',
      });
    }
    const commonEnvironment = {
      ...this.integrations?.environment,
      // Stamped on alerts (the account; Lambda sets AWS_REGION).
      WATCHTOWER_ACCOUNT_ID: Aws.ACCOUNT_ID,
      STATE_TABLE_NAME: this.table.tableName,
      ALERT_TOPIC_ARN: this.topic.topicArn,
      WATCHTOWER_CONFIG_FILE: BUNDLED_CONFIG_PATH,
      OWN_LOG_GROUP_PREFIXES: Fn.join(
        ',',
        ownLogGroups.map((group) => group.logGroupName),
      ),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
    };
    const entries = props.handlerEntries ?? defaultHandlerEntries();

    const ingestTimeout = Duration.minutes(1);
    const reservedConcurrency = 'ingestReservedConcurrency' in props ? props.ingestReservedConcurrency : DEFAULT_INGEST_RESERVED_CONCURRENCY;
    const ingestEnvironment = {
      ...commonEnvironment,
      ...sourceFilterEnvironment(logGroups, logGroupPrefixes),
    };
    assertEnvironmentFits(ingestEnvironment);
    this.ingestFunction = new WatchtowerFunction(this, 'IngestFunction', {
      entry: entries.ingest,
      description: 'MCP Watchtower: decodes MCP logs, runs the detectors, publishes alerts',
      role: this.functionRole('IngestRole', this.ingestLogGroup),
      logGroup: this.ingestLogGroup,
      engineConfigFile,
      environment: ingestEnvironment,
      memorySize: props.ingestMemorySize ?? 1024,
      timeout: ingestTimeout,
      ...(reservedConcurrency !== undefined ? { reservedConcurrentExecutions: reservedConcurrency } : {}),
    });
    this.configChangeFunction = new WatchtowerFunction(this, 'ConfigChangeFunction', {
      entry: entries.configChange,
      description: 'MCP Watchtower: turns CloudTrail changes of MCP resources into alerts',
      role: this.functionRole('ConfigChangeRole', this.configChangeLogGroup),
      logGroup: this.configChangeLogGroup,
      engineConfigFile,
      environment: commonEnvironment,
      memorySize: 256,
      timeout: Duration.seconds(30),
    });

    for (const fn of [this.ingestFunction, this.configChangeFunction]) {
      // CloudWatch Logs and EventBridge invoke asynchronously: two retries, then the DLQ.
      fn.configureAsyncInvoke({
        onFailure: new QueueFailureDestination(this.deadLetterQueue),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
      this.grantStateAndAlerts(fn);
      this.integrations?.grantPublish(fn);
      acknowledge(
        fn,
        'Serverless-LambdaDLQ',
        'Failures go to an on-failure destination (the same SQS DLQ), which records the error with the event; a DeadLetterConfig would duplicate it.',
      );
      acknowledge(
        fn,
        'Serverless-LambdaTracing',
        'Pipeline health is observed through EMF metrics, alarms and the dashboard; X-Ray would need Resource "*" permissions and adds per-trace cost on a high-volume consumer.',
      );
    }

    this.logSubscriptions = new LogSubscriptions(this, 'LogSubscriptions', {
      logGroups,
      logGroupPrefixes,
      ownLogGroups,
      accountPolicyName: `${namePrefix}-mcp-log-subscription`,
      target:
        stream === undefined
          ? { kind: 'lambda', function: this.ingestFunction }
          : { kind: 'kinesis', stream },
    });

    if (stream !== undefined) {
      const kinesis = props.kinesis ?? {};
      this.ingestFunction.addEventSource(
        new KinesisEventSource(stream, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: kinesis.batchSize ?? 1000,
          parallelizationFactor: kinesis.parallelizationFactor ?? 2,
          maxBatchingWindow: kinesis.maxBatchingWindow ?? Duration.seconds(1),
          reportBatchItemFailures: kinesis.reportBatchItemFailures ?? true,
          bisectBatchOnError: true,
          retryAttempts: 3,
          onFailure: new QueueEventSourceDlq(this.deadLetterQueue),
        }),
      );
    }

    if (props.absenceCheckInterval !== false) {
      this.absenceCheckRule = new Rule(this, 'AbsenceCheckSchedule', {
        description: 'MCP Watchtower: evaluates detectors that alert on absence (telemetry gaps)',
        schedule: Schedule.rate(props.absenceCheckInterval ?? Duration.minutes(5)),
        targets: [
          new LambdaFunction(this.ingestFunction, {
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: 2,
            maxEventAge: Duration.minutes(10),
          }),
        ],
      });
    }

    this.configChangeRules = new ConfigChangeRules(this, 'ConfigChangeRules', {
      resources: props.monitoredResources ?? {},
      handler: this.configChangeFunction,
      deadLetterQueue: this.deadLetterQueue,
    });

    // ---- observability -------------------------------------------------------------------
    const metrics = new WatchtowerMetrics(props.metricPeriod ?? Duration.minutes(5));
    this.alarms = new WatchtowerAlarms(this, 'Alarms', {
      namePrefix,
      metrics,
      servers: props.servers ?? [],
      topic: this.topic,
      ingestFunction: this.ingestFunction,
      ingestTimeout,
      configChangeFunction: this.configChangeFunction,
      deadLetterQueue: this.deadLetterQueue,
      alertDeliveryDeadLetterQueue: this.alertDeliveryDeadLetterQueue,
      table: this.table,
      kinesisIngestion: stream !== undefined,
      anomalyStdDevs: props.anomalyStdDevs ?? 3,
    });
    this.dashboard = new WatchtowerDashboard(this, 'Dashboard', {
      // Dashboard names are global to the account; alarm names and the account policy are regional.
      dashboardName: `${namePrefix}-${Aws.REGION}`,
      metrics,
      servers: props.servers ?? [],
      anomalyStdDevs: props.anomalyStdDevs ?? 3,
      ingestFunction: this.ingestFunction,
      configChangeFunction: this.configChangeFunction,
      deadLetterQueue: this.deadLetterQueue,
      alertDeliveryDeadLetterQueue: this.alertDeliveryDeadLetterQueue,
      table: this.table,
      alertLogGroups: ownLogGroups,
      alarms: this.alarms.alarms,
      kinesisIngestion: stream !== undefined,
    }).dashboard;
  }

  /** An execution role that can write only to the function's own log group. */
  private functionRole(id: string, logGroup: LogGroup): Role {
    const role = new Role(this, id, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'MCP Watchtower Lambda execution role',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    return role;
  }

  /** Detector state (read/write, no scans or deletes) and alert publishing, nothing more. */
  private grantStateAndAlerts(fn: WatchtowerFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          // What the state store calls (functions/adapters/dynamodb-state-store.ts): no Query, no
          // transactions (ConditionCheckItem) — add them here only with code that needs them.
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        resources: [this.table.tableArn],
      }),
    );
    if (this.table.encryptionKey !== undefined) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [this.table.encryptionKey.keyArn],
        }),
      );
    }
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.topicKey.keyArn],
      }),
    );
  }
}

/** Acknowledges one cdk-nag rule on the construct's CloudFormation resource only. */
function acknowledge(construct: Construct, id: string, reason: string): void {
  Validations.of(construct.node.defaultChild ?? construct).acknowledge({ id, reason });
}

/** Fails synth when the known part of an environment would exceed Lambda's 4 KB limit. */
function assertEnvironmentFits(environment: Readonly<Record<string, string>>): void {
  let bytes = 0;
  for (const [name, value] of Object.entries(environment)) {
    bytes += Buffer.byteLength(name) + (Token.isUnresolved(value) ? 0 : Buffer.byteLength(value));
  }
  // Tokens (ARNs, names) resolve to at most a few hundred bytes; keep that much headroom.
  if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES - 1024) {
    throw new Error(
      `McpSecurityMonitoring: the ingest environment needs ${bytes} bytes of the 4096 Lambda allows; ` +
        'use fewer or shorter log group names and prefixes (a prefix can replace many names)',
    );
  }
}
