/**
 * Packs captured server log lines the way a CloudWatch Logs subscription filter delivers them:
 * `{awslogs: {data: base64(gzip(payload))}}`, one payload per log group and log stream.
 */
import { encodeCloudWatchData } from '../../../functions/engine/events/cloudwatch.js';
import type { CapturedLine } from './line-collector.js';

export interface LogSource {
  /** One log group per MCP server deployment, e.g. /ecs/example-files-mcp. */
  readonly logGroup: string;
  /** One stream per process / task, e.g. mcp/example-files-mcp/3f9c2a…. */
  readonly logStream: string;
}

export interface SubscriptionEvent {
  readonly awslogs: { readonly data: string };
}

export const ACCOUNT_ID = '123456789012';
export const SUBSCRIPTION_FILTER = 'McpWatchtower-ingest';

let sequence = 0;

/**
 * CloudWatch event ids are 56-digit decimal strings that grow with the timestamp; this keeps
 * their shape and uniqueness (the pipeline's redelivery detection hashes them).
 */
function logEventId(timestamp: number): string {
  sequence++;
  return (
    `${timestamp}`.padStart(16, '0') + `${process.pid}`.padStart(10, '0') + `${sequence}`.padStart(30, '0')
  );
}

export function subscriptionEvent(source: LogSource, lines: readonly CapturedLine[]): SubscriptionEvent {
  if (lines.length === 0) throw new Error(`no log lines for ${source.logGroup}: the server wrote nothing`);
  return {
    awslogs: {
      data: encodeCloudWatchData({
        messageType: 'DATA_MESSAGE',
        owner: ACCOUNT_ID,
        logGroup: source.logGroup,
        logStream: source.logStream,
        subscriptionFilters: [SUBSCRIPTION_FILTER],
        logEvents: lines.map((line) => ({
          id: logEventId(line.timestamp),
          timestamp: line.timestamp,
          message: line.message,
        })),
      }),
    },
  };
}
