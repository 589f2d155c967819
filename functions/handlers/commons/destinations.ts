/**
 * The ingest and config-change functions' alert sink: the alert topic, plus the destination topics
 * the stack configured (deployment.integrations): the chat topic (custom notifications) and the
 * integration topic (every lifecycle event, for the Security Hub and PagerDuty forwarders).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { ChatTopicSink } from '../../adapters/destinations/chat-topic-sink.js';
import { FanoutSink } from '../../adapters/destinations/fanout-sink.js';
import { IntegrationTopicSink } from '../../adapters/destinations/integration-topic-sink.js';
import type { AlertSink } from '../../engine/alerts/sink.js';
import type { HandlerSettings } from './settings.js';

export function destinationSink(alertTopic: AlertSink, client: SNSClient, settings: Pick<HandlerSettings, 'chatTopicArn' | 'integrationTopicArn'>): AlertSink {
  const destinations: AlertSink[] = [];
  if (settings.integrationTopicArn !== undefined) destinations.push(new IntegrationTopicSink({ client, topicArn: settings.integrationTopicArn }));
  if (settings.chatTopicArn !== undefined) destinations.push(new ChatTopicSink({ client, topicArn: settings.chatTopicArn }));
  return destinations.length === 0 ? alertTopic : new FanoutSink(alertTopic, destinations);
}
