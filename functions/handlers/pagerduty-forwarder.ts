/**
 * Lambda entry: lifecycle events from the integration topic (through SQS, severity-filtered) →
 * PagerDuty Events v2, with the routing key from Secrets Manager. A missing variable fails the
 * cold start, naming it.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSqsClient } from '../adapters/aws-clients.js';
import { PagerDutyClient } from '../adapters/destinations/pagerduty-client.js';
import { RoutingKeyProvider } from '../adapters/destinations/routing-key.js';
import { SqsDeadLetter } from '../adapters/destinations/sqs-dead-letter.js';
import { isSeverity } from '../engine/alerts/severity.js';
import { createPagerDutyForwarder } from './commons/pagerduty-forwarder-handler.js';
import { logger } from './commons/powertools.js';

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    logger.critical(`PagerDuty forwarder cannot start: missing environment variable ${name}`);
    throw new Error(`missing environment variable ${name}`);
  }
  return value;
}

const minSeverity = process.env.PAGERDUTY_MIN_SEVERITY?.trim();
const eventsUrl = process.env.PAGERDUTY_EVENTS_URL?.trim();

export const handler = createPagerDutyForwarder({
  client: new PagerDutyClient(eventsUrl ? { url: eventsUrl } : {}),
  routingKey: new RoutingKeyProvider(new SecretsManagerClient({ maxAttempts: 3 }), required('PAGERDUTY_ROUTING_KEY_SECRET')),
  deadLetter: new SqsDeadLetter(createSqsClient(), required('PAGERDUTY_DLQ_URL')),
  logger,
  ...(isSeverity(minSeverity) ? { minSeverity } : {}),
});
