/**
 * Publishes alerts to one SNS topic. Throttling and transient errors are retried with backoff by
 * the SDK (adaptive retry mode, configured on the client); if publishing still fails, `publish`
 * rejects, the invocation fails and the batch is redelivered — nothing is dropped, and nothing is
 * marked sent that was not. An alert SNS can never take (its message cannot be built, or SNS
 * rejects its content as invalid) rejects with UnpublishableAlertError instead: the pipeline
 * isolates and reports that one alert and publishes the rest.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../engine/alerts/alert.js';
import type { AlertSink } from '../engine/alerts/sink.js';
import { UnpublishableAlertError } from '../engine/alerts/unpublishable.js';
import { snsMessageFor } from './alert-message.js';

export interface SnsAlertSinkOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export class SnsAlertSink implements AlertSink {
  published = 0;

  constructor(private readonly options: SnsAlertSinkOptions) {}

  async publish(alert: Alert): Promise<void> {
    let message: ReturnType<typeof snsMessageFor>;
    try {
      message = snsMessageFor(alert);
    } catch (error) {
      throw new UnpublishableAlertError(`the alert's SNS message cannot be built (${errorName(error)})`, { cause: error });
    }
    try {
      await this.options.client.send(new PublishCommand({ TopicArn: this.options.topicArn, ...message }));
    } catch (error) {
      if (rejectsContent(error)) throw new UnpublishableAlertError(`SNS rejected the alert (${errorName(error)})`, { cause: error });
      throw error;
    }
    this.published++;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * SNS refused this message's content: retrying the same message cannot succeed. A bad topic (its
 * ARN, its existence, permissions, KMS) is not the alert's fault and fails the batch as usual.
 */
function rejectsContent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name !== 'InvalidParameterException' && error.name !== 'InvalidParameterValueException') return false;
  return !/TopicArn|Topic/i.test(error.message);
}

/** The SNS client the sink is meant to be used with (adaptive retry, six attempts). */
export { createSnsClient } from './aws-clients.js';
