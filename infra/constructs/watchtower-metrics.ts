/**
 * The metrics the ingest Lambda emits as EMF (namespace McpWatchtower), as CloudWatch Metric
 * objects for the dashboard and the alarms. One place knows the metric names and dimensions.
 *
 * Powertools Metrics adds the `service` dimension (POWERTOOLS_SERVICE_NAME) to every metric it
 * emits, so every dimension set here carries it too; otherwise nothing would match.
 */
import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, Stats, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SEVERITIES } from '../../functions/engine/alerts/severity.js';
import {
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
  SERVICE_NAME,
  type DimensionName,
  type MetricName,
} from '../../functions/engine/metrics/metric-names.js';

// Names and dimensions come from the writer's vocabulary (functions/engine/metrics/metric-names.ts).
export { METRICS_NAMESPACE, SERVICE_NAME };

export class WatchtowerMetrics {
  constructor(private readonly period: Duration = Duration.minutes(5)) {}

  private metric(
    metricName: MetricName,
    statistic: string,
    dimensions: Partial<Record<DimensionName, string>> = {},
    label?: string,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      statistic,
      period: this.period,
      dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAME, ...dimensions },
      ...(label === undefined ? {} : { label }),
    });
  }

  /**
   * A SEARCH over every value of one dimension (categories, detectors, log groups are open sets),
   * each series labelled with its dimension value (a CloudWatch dynamic label).
   */
  private searchByDimension(metricName: MetricName, dimension: DimensionName): MathExpression {
    return new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},${SERVICE_DIMENSION}} MetricName="${metricName}" ${SERVICE_DIMENSION}="${SERVICE_NAME}"', 'Sum', ${this.period.toSeconds()})`,
      label: `\${PROP('Dim.${dimension}')}`,
      period: this.period,
      usingMetrics: {},
    });
  }

  eventsIngested(): Metric {
    return this.metric(METRIC.EventsIngested, Stats.SUM, {}, 'Events ingested');
  }

  alerts(): Metric {
    return this.metric(METRIC.Alerts, Stats.SUM, {}, 'Alerts');
  }

  eventsIngestedByLogGroup(): MathExpression {
    return this.searchByDimension(METRIC.EventsIngested, DIMENSION.LogGroup);
  }

  eventsUnparsedByLogGroup(): MathExpression {
    return this.searchByDimension(METRIC.EventsUnparsed, DIMENSION.LogGroup);
  }

  alertsBySeverity(): Metric[] {
    return SEVERITIES.map((severity) => this.metric(METRIC.Alerts, Stats.SUM, { [DIMENSION.Severity]: severity }, severity));
  }

  alertsByCategory(): MathExpression {
    return this.searchByDimension(METRIC.Alerts, DIMENSION.Category);
  }

  alertsByDetector(): MathExpression {
    return this.searchByDimension(METRIC.Alerts, DIMENSION.Detector);
  }

  detectorErrorsByDetector(): MathExpression {
    return this.searchByDimension(METRIC.DetectorErrors, DIMENSION.Detector);
  }

  stateWrites(): Metric {
    return this.metric(METRIC.StateWrites, Stats.SUM, {}, 'State writes');
  }

  batchesFailed(): Metric {
    return this.metric(METRIC.BatchesFailed, Stats.SUM, {}, 'Batches failed');
  }

  /**
   * DetectorErrors summed over all detectors. An alarm cannot use SEARCH, but it can use a
   * Metrics Insights query, and the detector set is open.
   */
  detectorErrorsTotal(): MathExpression {
    return new MathExpression({
      expression: `SELECT SUM(${METRIC.DetectorErrors}) FROM SCHEMA("${METRICS_NAMESPACE}", ${DIMENSION.Detector}, ${SERVICE_DIMENSION}) WHERE ${SERVICE_DIMENSION} = '${SERVICE_NAME}'`,
      label: 'Detector errors',
      period: this.period,
      usingMetrics: {},
    });
  }

  toolCalls(server: string): Metric {
    return this.metric(METRIC.ToolCalls, Stats.SUM, { [DIMENSION.Server]: server }, `${server} calls`);
  }

  toolErrors(server: string): Metric {
    return this.metric(METRIC.ToolErrors, Stats.SUM, { [DIMENSION.Server]: server }, `${server} errors`);
  }

  authFailures(server: string): Metric {
    return this.metric(METRIC.AuthFailures, Stats.SUM, { [DIMENSION.Server]: server }, `${server} auth failures`);
  }

  /** `statistic` is a percentile such as Stats.p(99). */
  toolLatency(server: string, statistic: string): Metric {
    return this.metric(METRIC.ToolLatency, statistic, { [DIMENSION.Server]: server }, `${server} ${statistic}`);
  }

  /** Percentage of tool calls that failed; 0 when there were no calls in the period. */
  toolErrorRate(server: string): MathExpression {
    return new MathExpression({
      expression: 'IF(FILL(calls, 0) > 0, 100 * FILL(errors, 0) / FILL(calls, 1), 0)',
      usingMetrics: { calls: this.toolCalls(server), errors: this.toolErrors(server) },
      label: `${server} error rate (%)`,
      period: this.period,
    });
  }

  /** Auth failures over every server (open set), for the security widgets. */
  authFailuresByServer(): MathExpression {
    return this.searchByDimension(METRIC.AuthFailures, DIMENSION.Server);
  }

  toolCallsByServer(): MathExpression {
    return this.searchByDimension(METRIC.ToolCalls, DIMENSION.Server);
  }
}

export type { IMetric };
