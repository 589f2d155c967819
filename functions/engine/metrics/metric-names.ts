/**
 * The pipeline's CloudWatch metric vocabulary, in one place: the EMF writer
 * (functions/adapters/emf-metrics.ts) emits exactly these names with these dimension sets, and the
 * dashboard and alarms (infra/constructs/watchtower-metrics.ts) read them from here, so a renamed
 * metric cannot leave a dashboard widget or an alarm watching nothing
 * (test/infra/metric-names.test.ts checks every reference against what the writer emits).
 *
 * Plain constants (no AWS SDK, no CDK): both the Lambda bundle and the CDK app import them.
 */
export const METRICS_NAMESPACE = 'McpWatchtower';
/** POWERTOOLS_SERVICE_NAME of the functions; Powertools adds it as the `service` dimension of every metric. */
export const SERVICE_NAME = 'mcp-watchtower';
export const SERVICE_DIMENSION = 'service';

export const METRIC = {
  EventsIngested: 'EventsIngested',
  EventsUnparsed: 'EventsUnparsed',
  /** Lines skipped because their JSON nests deeper than the parse limit. */
  EventsTooDeep: 'EventsTooDeep',
  Alerts: 'Alerts',
  DetectorErrors: 'DetectorErrors',
  StateWrites: 'StateWrites',
  BatchesFailed: 'BatchesFailed',
  ToolCalls: 'ToolCalls',
  ToolErrors: 'ToolErrors',
  ToolLatency: 'ToolLatency',
  AuthFailures: 'AuthFailures',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export const DIMENSION = {
  LogGroup: 'LogGroup',
  Severity: 'Severity',
  Category: 'Category',
  Detector: 'Detector',
  Server: 'Server',
} as const;
export type DimensionName = (typeof DIMENSION)[keyof typeof DIMENSION];

/**
 * The dimension sets (besides `service`, which is on every set) each metric is emitted with; `[]`
 * is the service-only set. The writer's records follow this table; readers may use only these.
 */
export const METRIC_DIMENSION_SETS: Readonly<Record<MetricName, readonly (readonly DimensionName[])[]>> = {
  EventsIngested: [[], [DIMENSION.LogGroup]],
  EventsUnparsed: [[DIMENSION.LogGroup]],
  EventsTooDeep: [[DIMENSION.LogGroup]],
  Alerts: [[], [DIMENSION.Severity], [DIMENSION.Category], [DIMENSION.Detector]],
  DetectorErrors: [[DIMENSION.Detector]],
  StateWrites: [[]],
  BatchesFailed: [[]],
  ToolCalls: [[DIMENSION.Server]],
  ToolErrors: [[DIMENSION.Server]],
  ToolLatency: [[DIMENSION.Server]],
  AuthFailures: [[DIMENSION.Server]],
};
