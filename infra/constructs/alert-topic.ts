/**
 * The alert topic: KMS-encrypted, TLS-only, with one subscription per configured endpoint, each
 * optionally filtered to a minimum severity through the `severity` message attribute.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SubscriptionFilter, Topic, type ITopicSubscription } from 'aws-cdk-lib/aws-sns';
import {
  EmailSubscription,
  LambdaSubscription,
  SqsSubscription,
  UrlSubscription,
} from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEVERITIES, atLeast, type Severity } from '../../functions/engine/alerts/severity.js';

/** A subscriber's optional floor: `high` receives critical and high alerts. */
export interface SeverityFloorOption {
  /**
   * Lowest alert severity delivered to this endpoint.
   * @default - every alert, and CloudWatch alarm notifications too
   */
  readonly minSeverity?: Severity;
}

export interface EmailAlertSubscriber extends SeverityFloorOption {
  readonly address: string;
}
export interface HttpsAlertSubscriber extends SeverityFloorOption {
  readonly url: string;
}
export interface QueueAlertSubscriber extends SeverityFloorOption {
  readonly queueArn: string;
}
export interface FunctionAlertSubscriber extends SeverityFloorOption {
  readonly functionArn: string;
}

export interface AlertSubscribers {
  /** @default - none */
  readonly emails?: readonly EmailAlertSubscriber[];
  /** HTTPS endpoints (PagerDuty, Opsgenie, a webhook relay). @default - none */
  readonly httpsEndpoints?: readonly HttpsAlertSubscriber[];
  /** SQS queues (their policy must let this topic send). @default - none */
  readonly sqsQueues?: readonly QueueAlertSubscriber[];
  /** Lambda functions in this account and region. @default - none */
  readonly lambdaFunctions?: readonly FunctionAlertSubscriber[];
}

/** Severities delivered to a subscriber whose floor is `floor`, most severe first. */
export function severitiesAtOrAbove(floor: Severity): Severity[] {
  return SEVERITIES.filter((severity) => atLeast(severity, floor));
}

/** The SNS filter policy for a severity floor; undefined (deliver everything) without one. */
export function severityFilterPolicy(
  floor: Severity | undefined,
): Record<string, SubscriptionFilter> | undefined {
  if (floor === undefined) return undefined;
  return { severity: SubscriptionFilter.stringFilter({ allowlist: severitiesAtOrAbove(floor) }) };
}

export interface AlertTopicProps {
  /**
   * Customer managed key for the topic. It is imported, so its key policy is not ours to edit:
   * it must let `cloudwatch.amazonaws.com` use it, or alarm notifications are dropped.
   * @default - a key created for the topic, with rotation, whose policy admits CloudWatch alarms
   */
  readonly encryptionKey?: IKey;
  /** Where undeliverable notifications go (SNS redrive policy of every subscription). */
  readonly deliveryDeadLetterQueue: IQueue;
  /** @default - no subscriptions */
  readonly subscribers?: AlertSubscribers;
  /**
   * What happens to a key this construct creates when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly keyRemovalPolicy?: RemovalPolicy;
}

export class AlertTopic extends Construct {
  readonly topic: Topic;
  /** The key that encrypts the topic (created here unless one was given). */
  readonly key: IKey;
  readonly subscriptions: readonly ITopicSubscription[];

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);

    // The AWS managed key alias/aws/sns cannot be used here: its key policy cannot admit
    // cloudwatch.amazonaws.com, so CloudWatch alarm actions on the topic would fail silently.
    this.key = props.encryptionKey ?? this.createTopicKey(props.keyRemovalPolicy ?? RemovalPolicy.RETAIN);

    this.topic = new Topic(this, 'Topic', {
      displayName: 'MCP Watchtower alerts',
      masterKey: this.key,
      enforceSSL: true,
      signatureVersion: '2',
    });

    const subscribers = props.subscribers ?? {};
    const deliveryOptions = (floor: Severity | undefined) => ({
      deadLetterQueue: props.deliveryDeadLetterQueue,
      ...(floor === undefined ? {} : { filterPolicy: severityFilterPolicy(floor) }),
    });
    const subscriptions: ITopicSubscription[] = [];
    for (const email of subscribers.emails ?? []) {
      subscriptions.push(new EmailSubscription(email.address, deliveryOptions(email.minSeverity)));
    }
    for (const endpoint of subscribers.httpsEndpoints ?? []) {
      subscriptions.push(new UrlSubscription(endpoint.url, deliveryOptions(endpoint.minSeverity)));
    }
    (subscribers.sqsQueues ?? []).forEach((subscriber, index) => {
      const queue = Queue.fromQueueArn(this, `SubscriberQueue${index}`, subscriber.queueArn);
      subscriptions.push(new SqsSubscription(queue, deliveryOptions(subscriber.minSeverity)));
    });
    (subscribers.lambdaFunctions ?? []).forEach((subscriber, index) => {
      const fn = LambdaFunction.fromFunctionAttributes(this, `SubscriberFunction${index}`, {
        functionArn: subscriber.functionArn,
        sameEnvironment: true,
      });
      subscriptions.push(new LambdaSubscription(fn, deliveryOptions(subscriber.minSeverity)));
    });
    for (const subscription of subscriptions) this.topic.addSubscription(subscription);
    this.subscriptions = subscriptions;
  }

  private createTopicKey(removalPolicy: RemovalPolicy): Key {
    const key = new Key(this, 'Key', {
      description: 'Encrypts the MCP Watchtower alert topic',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        // The statement SNS documents for AWS service event sources on encrypted topics.
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only for alarms of this account: the service principal alone would serve any account's
        // CloudWatch (confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return key;
  }
}
