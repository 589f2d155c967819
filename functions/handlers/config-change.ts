/**
 * Lambda entry: CloudTrail changes of MCP servers' AWS resources (EventBridge) → CFG-SERVER-CHANGE
 * and the same alert path as the logs. Built once per execution environment; a missing variable or
 * an invalid engine config fails the cold start with the reason.
 */
import { awsPipelinePorts } from './commons/aws-runtime.js';
import { createConfigChangeHandler } from './commons/config-change-handler.js';
import { logger, metrics } from './commons/powertools.js';
import { handlerSettingsFrom } from './commons/settings.js';

function build(): ReturnType<typeof createConfigChangeHandler> {
  try {
    return createConfigChangeHandler({ ...awsPipelinePorts(handlerSettingsFrom(process.env)), logger, metrics });
  } catch (error) {
    logger.critical('config-change function cannot start', { error: error as Error });
    throw error;
  }
}

export const handler = build();
