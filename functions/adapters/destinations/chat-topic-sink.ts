/**
 * Publishes Amazon Q Developer in chat applications custom notifications to the chat topic (the
 * topic a Slack or Teams channel configuration subscribes to; no relay function). New alerts,
 * escalations and resolutions are posted, threaded by fingerprint; folded repeats are not (they
 * would post on every batch), their count shows on the next escalation or on the resolution.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../../engine/alerts/alert.js';
import { toChatNotification } from '../../engine/alerts/formats/chat.js';
import type { AlertSink } from '../../engine/alerts/sink.js';

export interface ChatTopicSinkOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export class ChatTopicSink implements AlertSink {
  constructor(private readonly options: ChatTopicSinkOptions) {}

  async publish(alert: Alert): Promise<void> {
    await this.send(alert);
  }

  async lifecycle(event: Alert): Promise<void> {
    if (event.status === 'resolved') await this.send(event);
  }

  private async send(alert: Alert): Promise<void> {
    await this.options.client.send(new PublishCommand({ TopicArn: this.options.topicArn, Message: JSON.stringify(toChatNotification(alert)) }));
  }
}
