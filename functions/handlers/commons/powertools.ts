/**
 * The handlers' Powertools singletons, created once per execution environment (as in the
 * Powertools examples). Service name and namespace come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE, which the CDK stack sets; the defaults match it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { redactLogValue } from './log-redaction.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'mcp-watchtower';

export const logger = new Logger({ serviceName, jsonReplacerFn: redactLogValue });

export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'McpWatchtower' });
