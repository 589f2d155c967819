/**
 * `redrive --queue-url <dlq>`: re-process what the pipeline's dead-letter queue holds — failed
 * log deliveries and CloudTrail change events — through the same processing path as the Lambda
 * functions, with the DynamoDB state table and the SNS topic. A redriven delivery keeps its batch
 * id, so whatever the failed attempts already applied or published is not applied or published
 * again. A message is deleted only after it was processed; anything else (Kinesis failure
 * records, which point at records instead of holding them, or messages it cannot read) stays in
 * the queue and is reported.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../adapters/aws-clients.js';
import { decodeSubscriptionEvent, processPayload, type PipelinePorts } from '../../handlers/commons/cloudwatch-delivery.js';
import { processChangeEvent } from '../../handlers/commons/config-change-handler.js';
import { classifyDlqBody, describeKinesisFailure } from '../../handlers/commons/dlq-record.js';
import { ReportingSink } from '../../handlers/commons/reporting-sink.js';
import type { AwsOptions, DetectionOptions } from '../common-options.js';
import { loadCliEngine } from '../engine-loader.js';
import { writeLine, type CliIo } from '../io.js';

import { createAlertPublisher, createStateStore, stateKind, checkSetup } from '../runtime.js';
import { EXIT_OK, UsageError } from '../usage-error.js';
import { alertPrinter } from '../output/alert-printer.js';

/** Some messages could not be redriven and are still in the queue. */
export const EXIT_LEFT_IN_QUEUE = 4;

export interface RedriveOptions {
  readonly queueUrl: string;
  /** Messages to handle at most. */
  readonly maxMessages: number;
  readonly sqsEndpoint?: string;
}

export interface RedriveControl {
  /** Tests may inject a client; default: one from the standard AWS chain. */
  readonly sqs?: SQSClient;
  /** How long a received message stays invisible to others while it is processed. @default 300 s */
  readonly visibilitySeconds?: number;
  /** Long-poll wait per receive; an empty receive ends the run. @default 2 s */
  readonly waitSeconds?: number;
}

interface Outcome {
  readonly messageId: string;
  readonly status: 'processed' | 'left';
  readonly detail: string;
}

export async function redrive(options: RedriveOptions, detection: DetectionOptions, aws: AwsOptions, io: CliIo, control: RedriveControl = {}): Promise<number> {
  if (stateKind(aws) !== 'dynamodb') {
    throw new UsageError('redrive needs the stack\'s state table (--table <name>): with in-memory state a redriven batch would be counted and alerted again');
  }
  if (aws.snsTopicArn === undefined) {
    throw new UsageError('redrive needs --sns-topic-arn <the stack\'s alert topic>: the redriven batches\' alerts are published there');
  }
  const { engine } = loadCliEngine(detection);
  const store = await createStateStore(aws, io);
  const publisher = await createAlertPublisher(aws);
  if (publisher === undefined) throw new UsageError('redrive needs --sns-topic-arn');
  const sqs =
    control.sqs ??
    createSqsClient({
      ...(options.sqsEndpoint !== undefined ? { endpoint: options.sqsEndpoint } : {}),
      ...(aws.region !== undefined ? { region: aws.region } : {}),
    });
  if (control.sqs === undefined) {
    await checkSetup(sqs, 'SQS');
  }

  const print = alertPrinter(detection.output, io);
  const sink = new ReportingSink(publisher, print);
  const ports: PipelinePorts = { engine, store, sink };
  const report = (line: string): void => writeLine(io.stderr, line);

  const outcomes: Outcome[] = [];
  const leftHandles: string[] = [];
  let received = 0;
  while (received < options.maxMessages) {
    const batch = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, options.maxMessages - received),
        VisibilityTimeout: control.visibilitySeconds ?? 300,
        WaitTimeSeconds: control.waitSeconds ?? 2,
      }),
    );
    const messages = batch.Messages ?? [];
    if (messages.length === 0) break;
    for (const message of messages) {
      received++;
      const outcome = await redriveOne(ports, message);
      outcomes.push(outcome);
      report(`${outcome.status === 'processed' ? 'redriven' : 'left    '} ${outcome.messageId}: ${outcome.detail}`);
      if (outcome.status === 'processed') {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
      } else if (message.ReceiptHandle !== undefined) leftHandles.push(message.ReceiptHandle);
    }
  }
  // What stays is visible again at once, for the next attempt (or the operator's console).
  for (const handle of leftHandles) {
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
  }

  const processed = outcomes.filter((o) => o.status === 'processed').length;
  const left = outcomes.length - processed;
  report(
    `redrive: ${processed} message${processed === 1 ? '' : 's'} re-processed (${sink.published.length} alert${sink.published.length === 1 ? '' : 's'} published), ` +
      `${left} left in the queue`,
  );
  return left > 0 ? EXIT_LEFT_IN_QUEUE : EXIT_OK;
}

async function redriveOne(ports: PipelinePorts, message: Message): Promise<Outcome> {
  const messageId = message.MessageId ?? '(no id)';
  const record = classifyDlqBody(message.Body);
  try {
    switch (record.kind) {
      case 'logs': {
        const decoded = decodeSubscriptionEvent(record.event);
        if (!decoded.ok) return { messageId, status: 'left', detail: `a log delivery that does not decode: ${decoded.error}` };
        const result = await processPayload(ports, decoded.payload);
        if (result.status === 'control') return { messageId, status: 'processed', detail: 'a CloudWatch Logs control message (nothing to do)' };
        if (result.status === 'skipped') return { messageId, status: 'processed', detail: `log group ${result.logGroup} skipped (${result.reason})` };
        const o = result.figures.outcome;
        return {
          messageId,
          status: 'processed',
          detail: `${result.logGroup}: ${o.events} events, ${o.alerts.length} alerts (${o.published} published now), batch ${result.batchId}${o.alreadyApplied > 0 ? `, ${o.alreadyApplied} state items already applied` : ''}`,
        };
      }
      case 'change': {
        const result = await processChangeEvent(ports, record.event);
        if (result.status === 'rejected') return { messageId, status: 'left', detail: result.error };
        if (result.status === 'ignored') return { messageId, status: 'processed', detail: `CloudTrail event ignored: ${result.reason}` };
        return {
          messageId,
          status: 'processed',
          detail: `CloudTrail change ${result.batchId}: ${result.outcome.alerts.length} alerts (${result.outcome.published} published now)`,
        };
      }
      case 'kinesis':
        return { messageId, status: 'left', detail: describeKinesisFailure(record.info) };
      case 'unknown':
        return { messageId, status: 'left', detail: `not understood (${record.reason})` };
    }
  } catch (error) {
    return { messageId, status: 'left', detail: `processing failed, try again later: ${error instanceof Error ? error.message : String(error)}` };
  }
}
