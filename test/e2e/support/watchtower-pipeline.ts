/**
 * The deployed pipeline on the emulators: the real ingest Lambda module (functions/handlers/ingest.ts)
 * configured through its environment, as the CDK stack configures it, with a fresh DynamoDB Local
 * state table and an SNS alert topic whose SQS subscription the test reads.
 */
import type { Alert } from '../../../functions/engine/alerts/alert.js';
import type { DirectResult } from '../../../functions/handlers/commons/ingest-handler.js';
import {
  createAlertTopic,
  createStateTable,
  receiveAlerts,
  type AlertTopic,
} from '../../helpers/aws-fixtures.js';
import { captureStdout } from '../../helpers/capture-stdout.js';
import { dynamoDbClient, emulators, type EmulatorEndpoints } from '../../helpers/emulators.js';
import type { SubscriptionEvent } from './cloudwatch-delivery.js';

export interface WatchtowerPipeline {
  /** Invokes the ingest handler with one subscription delivery (its Powertools/EMF output is swallowed). */
  ingest(event: SubscriptionEvent): Promise<DirectResult>;
  /** Every alert published since the last call, as read from the topic's SQS subscriber queue. */
  drainAlerts(): Promise<Alert[]>;
}

type IngestHandler = (event: SubscriptionEvent) => Promise<DirectResult>;

export async function startPipeline(): Promise<WatchtowerPipeline> {
  const endpoints: EmulatorEndpoints = await emulators();
  const tableName = await createStateTable(dynamoDbClient(endpoints.dynamodb));
  const topic: AlertTopic = await createAlertTopic(endpoints.fauxqs);
  process.env.STATE_TABLE_NAME = tableName;
  process.env.ALERT_TOPIC_ARN = topic.topicArn;
  process.env.DYNAMODB_ENDPOINT = endpoints.dynamodb;
  process.env.SNS_ENDPOINT = endpoints.fauxqs;
  process.env.OWN_LOG_GROUP_PREFIXES = '/aws/lambda/McpWatchtower-';
  // No bundled config: the built-in defaults (every detector on, catalogue thresholds).
  delete process.env.WATCHTOWER_CONFIG_FILE;
  delete process.env.SOURCE_LOG_GROUP_NAMES;
  delete process.env.SOURCE_LOG_GROUP_PREFIXES;
  process.env.POWERTOOLS_SERVICE_NAME = 'mcp-watchtower';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'McpWatchtower';
  const handler = (await import('../../../functions/handlers/ingest.js')).handler as unknown as IngestHandler;

  return {
    async ingest(event) {
      const { result } = await captureStdout(() => handler(event));
      return result;
    },
    async drainAlerts() {
      return (await receiveAlerts(endpoints.fauxqs, topic.queueUrl)).map((received) => received.alert);
    },
  };
}
