/**
 * Per-test AWS resources on the emulators: a fresh state table, and an alert topic whose messages
 * land in an SQS queue (raw delivery), so tests read exactly what was published.
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { ensureStateTable } from '../../functions/adapters/state-table.js';
import { parseBundle, stateItemPk } from '../../functions/adapters/dynamodb-state-store.js';
import { bundleOf } from '../../functions/engine/state/bundle.js';
import type { Alert } from '../../functions/engine/alerts/alert.js';
import type { StateItem } from '../../functions/engine/state/items.js';
import { dynamoDbClient, snsClient, sqsClient, uniqueName } from './emulators.js';

export async function createStateTable(client: DynamoDBClient): Promise<string> {
  const name = uniqueName('state');
  await ensureStateTable(client, name);
  return name;
}

export interface AlertTopic {
  readonly topicArn: string;
  readonly queueUrl: string;
}

/** A topic with one SQS subscription (raw message delivery: the queue holds the published message). */
export async function createAlertTopic(endpoint: string): Promise<AlertTopic> {
  const sns = snsClient(endpoint);
  const sqs = sqsClient(endpoint);
  try {
    const name = uniqueName('alerts');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-q` }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: attributes.Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    if (TopicArn === undefined || QueueUrl === undefined) throw new Error('fauxqs returned no topic ARN or queue URL');
    return { topicArn: TopicArn, queueUrl: QueueUrl };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}

export interface ReceivedAlert {
  readonly alert: Alert;
  /** SQS message attributes (the SNS message attributes, with raw delivery). */
  readonly attributes: Record<string, string>;
  /** The published Message: `{default, email}` (MessageStructure json). */
  readonly structure: { default: string; email: string };
}

/**
 * Drains the queue. fauxqs delivers the Message as published (it does not apply MessageStructure),
 * so the body is the `{default, email}` document; real SNS would deliver `default` to SQS.
 */
export async function receiveAlerts(endpoint: string, queueUrl: string): Promise<ReceivedAlert[]> {
  const sqs = sqsClient(endpoint);
  const out: ReceivedAlert[] = [];
  try {
    for (;;) {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        const structure = JSON.parse(message.Body ?? '{}') as { default: string; email: string };
        const attributes: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) attributes[name] = value.StringValue ?? '';
        out.push({ alert: JSON.parse(structure.default) as Alert, attributes, structure });
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  } finally {
    sqs.destroy();
  }
  return out;
}

export interface StoredState {
  readonly item: StateItem | undefined;
  readonly version: number;
  /** The batches that last wrote the item's bundle (ids of 16 chars or less as they are). */
  readonly batches: string[];
}

/** A state item as stored, inside its bundle (for asserting counters after a run). */
export async function readStateItem(client: DynamoDBClient, tableName: string, key: string): Promise<StoredState> {
  const out = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: stateItemPk(key) }, sk: { S: 'S' } }, ConsistentRead: true }),
  );
  const bundle = parseBundle(bundleOf(key), out.Item);
  const json = bundle.members.get(key);
  return {
    item: json !== undefined ? (JSON.parse(json) as StateItem) : undefined,
    version: bundle.version,
    batches: [...bundle.batches],
  };
}

/** Sum of a counter item's buckets. */
export function counterTotal(state: StoredState): number {
  if (state.item?.k !== 'c') return 0;
  const b = state.item.b;
  let sum = 0;
  for (let i = 1; i < b.length; i += 2) sum += b[i] as number;
  return sum;
}

export { dynamoDbClient, sqsClient };
