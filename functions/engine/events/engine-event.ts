import type { McpEvent } from './schema.js';

/** The source formats a log line may be in (docs/log-format.md). */
export type SourceFormat =
  | 'canonical'
  | 'jsonrpc'
  | 'lambda-text'
  | 'lambda-report'
  | 'agentgateway'
  | 'apigw-access'
  | 'otlp';

/** Where an event came from: enough to find the original log line. */
export interface EventOrigin {
  readonly format: SourceFormat;
  readonly logGroup?: string;
  readonly logStream?: string;
  /** CloudWatch event id, or `<file>:<line>` for local files. */
  readonly id?: string;
}

/**
 * A canonical event as the engine sees it: the event itself (untouched, unknown fields kept), its
 * time as epoch milliseconds (parsed once), and its origin.
 */
export interface EngineEvent {
  readonly event: McpEvent;
  readonly ts: number;
  readonly origin: EventOrigin;
}
