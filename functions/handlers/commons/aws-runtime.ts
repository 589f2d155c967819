/**
 * The AWS side of a handler, built once per execution environment: the compiled engine, the
 * DynamoDB state store and the SNS alert sink (clients with retries; emulator endpoints in tests).
 */
import { createDynamoDbClient, createSnsClient } from '../../adapters/aws-clients.js';
import { DynamoDbStateStore } from '../../adapters/dynamodb-state-store.js';
import { SnsAlertSink } from '../../adapters/sns-alert-sink.js';
import { destinationSink } from './destinations.js';
import type { PipelinePorts } from './cloudwatch-delivery.js';
import { loadHandlerEngine } from './engine-config.js';
import type { HandlerSettings } from './settings.js';

export function awsPipelinePorts(settings: HandlerSettings): PipelinePorts {
  const engine = loadHandlerEngine(settings.configFile);
  const dynamo = createDynamoDbClient(settings.dynamoDbEndpoint !== undefined ? { endpoint: settings.dynamoDbEndpoint } : {});
  const sns = createSnsClient(settings.snsEndpoint !== undefined ? { endpoint: settings.snsEndpoint } : {});
  return {
    engine,
    store: new DynamoDbStateStore({ client: dynamo, tableName: settings.tableName }),
    sink: destinationSink(new SnsAlertSink({ client: sns, topicArn: settings.topicArn }), sns, settings),
    // Destinations need the lifecycle (updates, resolutions); without them it would only cost writes.
    lifecycle: settings.chatTopicArn !== undefined || settings.integrationTopicArn !== undefined,
    origin: { ...(settings.account !== undefined ? { account: settings.account } : {}), ...(settings.region !== undefined ? { region: settings.region } : {}) },
  };
}
