/**
 * Where alerts go besides the alert topic (deployment.integrations):
 *
 *   ingest / config-change ──▶ chat topic ──(Amazon Q Developer channel configuration)──▶ Slack, Teams
 *                          └─▶ integration topic ──SQS──▶ Security Hub forwarder ──▶ BatchImportFindings
 *                                                 └─SQS (severity filter)──▶ PagerDuty forwarder ──▶ Events v2
 *
 * Chat needs no function: the pipeline publishes custom notifications to the chat topic itself.
 * Security Hub and PagerDuty are forwarders on their own SQS queues, not extra sinks inside the
 * ingest function, so an outage or throttling of either never fails, slows or redelivers a
 * detection batch; each retries on its own (SQS redelivery, then a DLQ) and batches naturally
 * (up to 100 findings per BatchImportFindings call). Both receive every lifecycle event (new,
 * updated, resolved) from the integration topic; the alert topic keeps its contract.
 *
 * Least privilege: `securityhub:BatchImportFindings` on the account's default product ARN only;
 * `secretsmanager:GetSecretValue` on the routing-key secret only; `sns:Publish` on these topics for
 * the pipeline functions (granted by `grantPublish`).
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/engine/metrics/metric-names.js';
import type { Severity } from '../../functions/engine/alerts/severity.js';
import { severityFilterPolicy } from './alert-topic.js';
import { REPO_ROOT, WatchtowerFunction } from './watchtower-function.js';
import { join } from 'node:path';

export interface PagerDutyIntegrationOptions {
  /** Secrets Manager secret (name) holding the Events v2 routing key, or JSON with `routing_key`. */
  readonly routingKeySecretName: string;
  /**
   * Lowest alert severity paged.
   * @default 'high'
   */
  readonly minSeverity?: Severity;
}

export interface AlertIntegrationsOptions {
  /**
   * Import findings into Security Hub (ASFF, default product of the account).
   * @default false
   */
  readonly securityHub?: boolean;
  /**
   * Create a chat topic that receives Amazon Q Developer in chat applications custom notifications.
   * @default false
   */
  readonly chat?: boolean;
  /**
   * Send trigger and resolve events to PagerDuty.
   * @default - no PagerDuty forwarder
   */
  readonly pagerDuty?: PagerDutyIntegrationOptions;
}

export interface AlertIntegrationsProps extends AlertIntegrationsOptions {
  /** The key of the alert topic; the new topics use it too, so publishers need no other grant. */
  readonly topicKey: IKey;
  /**
   * Customer managed key for the forwarders' queues and log groups.
   * @default - SQS managed encryption and AWS managed log encryption
   */
  readonly encryptionKey?: IKey;
  /** Engine config file to copy into the bundles (the forwarders do not read it; bundling needs one). */
  readonly engineConfigFile: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default 'INFO' */
  readonly logLevel?: string;
  /**
   * Handler entry files.
   * @default - functions/handlers/security-hub-forwarder.ts and pagerduty-forwarder.ts of this repository
   */
  readonly handlerEntries?: { readonly securityHub: string; readonly pagerDuty: string };
}

/** Messages are retried this many times by SQS before its DLQ receives them. */
const MAX_RECEIVE_COUNT = 5;
const FORWARDER_TIMEOUT = Duration.seconds(60);

export class AlertIntegrations extends Construct {
  /** Receives custom notifications; attach it to a Slack or Teams channel configuration. */
  readonly chatTopic?: Topic;
  /** Receives every lifecycle event; the forwarders' queues subscribe to it. */
  readonly integrationTopic?: Topic;
  readonly securityHubForwarder?: WatchtowerFunction;
  readonly pagerDutyForwarder?: WatchtowerFunction;
  /** Undeliverable forwarder messages (both forwarders; each message keeps its own queue's attributes). */
  readonly deadLetterQueue?: Queue;
  readonly queues: Queue[] = [];

  constructor(scope: Construct, id: string, private readonly props: AlertIntegrationsProps) {
    super(scope, id);
    const topicProps = { masterKey: props.topicKey, enforceSSL: true, signatureVersion: '2' } as const;
    if (props.chat === true) this.chatTopic = new Topic(this, 'ChatTopic', { displayName: 'MCP Watchtower chat notifications', ...topicProps });
    if (props.securityHub !== true && props.pagerDuty === undefined) return;

    this.integrationTopic = new Topic(this, 'IntegrationTopic', { displayName: 'MCP Watchtower alert lifecycle', ...topicProps });
    this.deadLetterQueue = this.queue('DeadLetterQueue');
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the forwarders\' dead-letter queue; nothing consumes it automatically.');
    acknowledge(this.deadLetterQueue, 'Serverless-SQSRedrivePolicy', 'This queue is itself the forwarders\' dead-letter queue; it needs no redrive policy.');
    const entries = props.handlerEntries ?? {
      securityHub: join(REPO_ROOT, 'functions', 'handlers', 'security-hub-forwarder.ts'),
      pagerDuty: join(REPO_ROOT, 'functions', 'handlers', 'pagerduty-forwarder.ts'),
    };

    if (props.securityHub === true) {
      const fn = this.forwarder('SecurityHub', entries.securityHub, 'MCP Watchtower: imports alert lifecycle events into Security Hub (ASFF)', {});
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['securityhub:BatchImportFindings'],
          resources: [`arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`],
        }),
      );
      // Up to 100 messages per invocation: one BatchImportFindings call (its limit is 100 findings).
      this.subscribe(fn, 'SecurityHubQueue', { batchSize: 100, maxBatchingWindow: Duration.seconds(10) });
      this.securityHubForwarder = fn;
    }

    if (props.pagerDuty !== undefined) {
      // Secrets Manager appends 6 random characters to a secret's name in its ARN.
      const secretArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${props.pagerDuty.routingKeySecretName}-??????`;
      const dlq = this.deadLetterQueue;
      const fn = this.forwarder('PagerDuty', entries.pagerDuty, 'MCP Watchtower: sends alert lifecycle events to PagerDuty (Events v2)', {
        PAGERDUTY_ROUTING_KEY_SECRET: props.pagerDuty.routingKeySecretName,
        PAGERDUTY_DLQ_URL: dlq.queueUrl,
        PAGERDUTY_MIN_SEVERITY: props.pagerDuty.minSeverity ?? 'high',
      });
      fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }));
      // Permanently rejected events are parked in the DLQ directly.
      fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [dlq.queueArn] }));
      if (dlq.encryptionMasterKey !== undefined) {
        fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [dlq.encryptionMasterKey.keyArn] }));
      }
      this.subscribe(fn, 'PagerDutyQueue', { batchSize: 10, maxBatchingWindow: Duration.seconds(1) }, props.pagerDuty.minSeverity ?? 'high');
      this.pagerDutyForwarder = fn;
    }
  }

  /** Environment of the pipeline functions that publish to these topics. */
  get environment(): Record<string, string> {
    return {
      ...(this.chatTopic !== undefined ? { CHAT_TOPIC_ARN: this.chatTopic.topicArn } : {}),
      ...(this.integrationTopic !== undefined ? { INTEGRATION_TOPIC_ARN: this.integrationTopic.topicArn } : {}),
    };
  }

  /** `sns:Publish` on the chat and integration topics (their key is the alert topic's, already granted). */
  grantPublish(grantee: IGrantable): void {
    const topics = [this.chatTopic, this.integrationTopic].filter((t): t is Topic => t !== undefined);
    if (topics.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: topics.map((t) => t.topicArn) }));
  }

  private queue(id: string, extra: { deadLetterQueue?: { queue: IQueue; maxReceiveCount: number }; visibilityTimeout?: Duration } = {}): Queue {
    const key = this.props.encryptionKey;
    const queue = new Queue(this, id, {
      ...(key === undefined ? { encryption: QueueEncryption.SQS_MANAGED } : { encryption: QueueEncryption.KMS, encryptionMasterKey: key }),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: this.props.removalPolicy ?? RemovalPolicy.RETAIN,
      ...extra,
    });
    this.queues.push(queue);
    return queue;
  }

  private forwarder(id: string, entry: string, description: string, environment: Record<string, string>): WatchtowerFunction {
    const logGroup = new LogGroup(this, `${id}LogGroup`, {
      retention: this.props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: this.props.removalPolicy ?? RemovalPolicy.RETAIN,
      ...(this.props.encryptionKey === undefined ? {} : { encryptionKey: this.props.encryptionKey }),
    });
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${description} (execution role)` });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const fn = new WatchtowerFunction(this, `${id}Forwarder`, {
      entry,
      role,
      logGroup,
      engineConfigFile: this.props.engineConfigFile,
      environment: {
        WATCHTOWER_ACCOUNT_ID: Aws.ACCOUNT_ID,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: this.props.logLevel ?? 'INFO',
        ...environment,
      },
      memorySize: 256,
      timeout: FORWARDER_TIMEOUT,
      description,
    });
    acknowledge(fn, 'Serverless-LambdaDLQ', 'Invoked synchronously by an SQS event source mapping: failed messages are redelivered by SQS and then moved to the forwarders\' DLQ by the redrive policy.');
    acknowledge(fn, 'Serverless-LambdaTracing', 'Forwarders are observed through their logs, queue depth and DLQ; X-Ray would need Resource "*" permissions.');
    return fn;
  }

  private subscribe(fn: WatchtowerFunction, id: string, options: { batchSize: number; maxBatchingWindow: Duration }, minSeverity?: Severity): void {
    const dlq = this.deadLetterQueue as Queue;
    // Visibility timeout six times the function timeout (the SQS event source guidance).
    const queue = this.queue(id, { deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT }, visibilityTimeout: Duration.seconds(FORWARDER_TIMEOUT.toSeconds() * 6) });
    const filterPolicy = severityFilterPolicy(minSeverity);
    (this.integrationTopic as Topic).addSubscription(
      new SqsSubscription(queue, { rawMessageDelivery: true, deadLetterQueue: dlq, ...(filterPolicy !== undefined ? { filterPolicy } : {}) }),
    );
    fn.addEventSource(new SqsEventSource(queue, { ...options, reportBatchItemFailures: true }));
    for (const child of fn.node.children) {
      if (child.node.id.startsWith('SqsEventSource:')) {
        acknowledge(child, 'Serverless-LambdaEventSourceMappingDestination', 'SQS event source mappings take no on-failure destination; the queue\'s redrive policy moves messages that keep failing to the forwarders\' DLQ.');
      }
    }
  }
}

/** Acknowledges one cdk-nag rule on the construct's CloudFormation resource only. */
function acknowledge(construct: Construct, id: string, reason: string): void {
  Validations.of(construct.node.defaultChild ?? construct).acknowledge({ id, reason });
}
