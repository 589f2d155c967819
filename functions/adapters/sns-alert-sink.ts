/**
 * Publishes alerts to one SNS topic. Throttling and transient errors are retried with backoff by
 * the SDK (adaptive retry mode, configured on the client); if publishing still fails, `publish`
 * rejects, the invocation fails and the batch is redelivered — nothing is dropped, and nothing is
 * marked sent that was not.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../engine/alerts/alert.js';
import type { AlertSink } from '../engine/alerts/sink.js';
import { snsMessageFor } from './alert-message.js';

export interface SnsAlertSinkOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export class SnsAlertSink implements AlertSink {
  published = 0;

  constructor(private readonly options: SnsAlertSinkOptions) {}

  async publish(alert: Alert): Promise<void> {
    await this.options.client.send(new PublishCommand({ TopicArn: this.options.topicArn, ...snsMessageFor(alert) }));
    this.published++;
  }
}

/** The SNS client the sink is meant to be used with (adaptive retry, six attempts). */
export { createSnsClient } from './aws-clients.js';
