/**
 * SQS failure destinations for Lambda (asynchronous invocations and event source mappings) that
 * grant exactly what sending needs. The stock SqsDestination/SqsDlq grant `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*` on encrypted queues; a producer needs only GenerateDataKey and Decrypt.
 */
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type {
  DestinationConfig,
  DlqDestinationConfig,
  IDestination,
  IEventSourceDlq,
  IEventSourceMapping,
  IFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Lets `grantee` send messages to `queue` (and use its key, if it has a customer managed one). */
export function grantSendToQueue(queue: IQueue, grantee: IGrantable): void {
  Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
  if (queue.encryptionMasterKey !== undefined) {
    Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [queue.encryptionMasterKey.keyArn],
    });
  }
}

/** On-failure destination for asynchronous invocations (CloudWatch Logs, EventBridge). */
export class QueueFailureDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    grantSendToQueue(this.queue, fn);
    return { destination: this.queue.queueArn };
  }
}

/** On-failure destination for an event source mapping (Kinesis): receives batch metadata. */
export class QueueEventSourceDlq implements IEventSourceDlq {
  constructor(private readonly queue: IQueue) {}

  bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    grantSendToQueue(this.queue, targetHandler);
    return { destination: this.queue.queueArn };
  }
}
