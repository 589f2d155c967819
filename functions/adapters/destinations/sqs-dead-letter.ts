/** Parks a message that can never be delivered in the forwarder's DLQ, with the reason beside it. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export class SqsDeadLetter {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async park(body: string, reason: string): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) || 'unknown' } },
      }),
    );
  }
}
