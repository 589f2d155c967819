/**
 * The handlers' Powertools singletons, created once per execution environment (as in the
 * Powertools examples). Service name and namespace come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE, which the CDK stack sets; the defaults match it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../engine/metrics/metric-names.js';
import { redactLogValue } from './log-redaction.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME;

export const logger = new Logger({ serviceName, jsonReplacerFn: redactLogValue });

export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE });
