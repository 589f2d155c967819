/**
 * Lambda entry: lifecycle events from the integration topic (through SQS) → ASFF →
 * Security Hub BatchImportFindings on the account's default product. Built once per execution
 * environment.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SecurityHubImporter } from '../adapters/destinations/security-hub-importer.js';
import { logger } from './commons/powertools.js';
import { createSecurityHubForwarder } from './commons/security-hub-forwarder-handler.js';

const account = process.env.WATCHTOWER_ACCOUNT_ID?.trim() || undefined;
const region = process.env.AWS_REGION?.trim() || undefined;
const endpoint = process.env.SECURITY_HUB_ENDPOINT?.trim() || undefined;

export const handler = createSecurityHubForwarder({
  importer: new SecurityHubImporter({ client: new SecurityHubClient({ maxAttempts: 3, retryMode: 'standard', ...(endpoint !== undefined ? { endpoint } : {}) }) }),
  logger,
  ...(account !== undefined ? { account } : {}),
  ...(region !== undefined ? { region } : {}),
});
