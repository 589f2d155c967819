/**
 * Publishes every lifecycle event of every incident (new, updated, resolved) to the integration
 * topic, as the same alert JSON the alert topic carries, with `status` beside the usual message
 * attributes. The Security Hub and PagerDuty forwarders subscribe to it through SQS queues (with
 * a severity filter policy for PagerDuty's minimum severity).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../../engine/alerts/alert.js';
import type { AlertSink } from '../../engine/alerts/sink.js';
import { snsMessageFor } from '../alert-message.js';

export interface IntegrationTopicSinkOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export class IntegrationTopicSink implements AlertSink {
  constructor(private readonly options: IntegrationTopicSinkOptions) {}

  async publish(alert: Alert): Promise<void> {
    await this.send(alert);
  }

  async lifecycle(event: Alert): Promise<void> {
    await this.send(event);
  }

  private async send(alert: Alert): Promise<void> {
    const message = snsMessageFor(alert);
    await this.options.client.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        ...message,
        MessageAttributes: { ...message.MessageAttributes, status: { DataType: 'String', StringValue: alert.status ?? 'new' } },
      }),
    );
  }
}
