/**
 * Lambda entry: MCP server logs from CloudWatch Logs (subscription filter or Kinesis) → detectors →
 * DynamoDB state, SNS alerts, EMF metrics. Everything is built once per execution environment; a
 * missing variable or an invalid engine config fails the cold start with the reason.
 */
import { awsPipelinePorts } from './commons/aws-runtime.js';
import { createIngestHandler } from './commons/ingest-handler.js';
import { LogGroupFilter } from './commons/log-sources.js';
import { logger, metrics } from './commons/powertools.js';
import { handlerSettingsFrom } from './commons/settings.js';

function build(): ReturnType<typeof createIngestHandler> {
  try {
    const settings = handlerSettingsFrom(process.env);
    return createIngestHandler({ ...awsPipelinePorts(settings), filter: LogGroupFilter.from(settings), logger, metrics });
  } catch (error) {
    logger.critical('ingest function cannot start', { error: error as Error });
    throw error;
  }
}

export const handler = build();
