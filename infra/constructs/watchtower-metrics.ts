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

export const METRICS_NAMESPACE = 'McpWatchtower';
/** POWERTOOLS_SERVICE_NAME of both functions; the `service` dimension of every metric. */
export const SERVICE_NAME = 'mcp-watchtower';

export class WatchtowerMetrics {
  constructor(private readonly period: Duration = Duration.minutes(5)) {}

  private metric(
    metricName: string,
    statistic: string,
    dimensions: Record<string, string> = {},
    label?: string,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      statistic,
      period: this.period,
      dimensionsMap: { service: SERVICE_NAME, ...dimensions },
      ...(label === undefined ? {} : { label }),
    });
  }

  /**
   * A SEARCH over every value of one dimension (categories, detectors, log groups are open sets),
   * each series labelled with its dimension value (a CloudWatch dynamic label).
   */
  private searchByDimension(metricName: string, dimension: string): MathExpression {
    return new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},service} MetricName="${metricName}" service="${SERVICE_NAME}"', 'Sum', ${this.period.toSeconds()})`,
      label: `\${PROP('Dim.${dimension}')}`,
      period: this.period,
      usingMetrics: {},
    });
  }

  eventsIngested(): Metric {
    return this.metric('EventsIngested', Stats.SUM, {}, 'Events ingested');
  }

  alerts(): Metric {
    return this.metric('Alerts', Stats.SUM, {}, 'Alerts');
  }

  eventsIngestedByLogGroup(): MathExpression {
    return this.searchByDimension('EventsIngested', 'LogGroup');
  }

  eventsUnparsedByLogGroup(): MathExpression {
    return this.searchByDimension('EventsUnparsed', 'LogGroup');
  }

  alertsBySeverity(): Metric[] {
    return SEVERITIES.map((severity) => this.metric('Alerts', Stats.SUM, { Severity: severity }, severity));
  }

  alertsByCategory(): MathExpression {
    return this.searchByDimension('Alerts', 'Category');
  }

  alertsByDetector(): MathExpression {
    return this.searchByDimension('Alerts', 'Detector');
  }

  detectorErrorsByDetector(): MathExpression {
    return this.searchByDimension('DetectorErrors', 'Detector');
  }

  stateWrites(): Metric {
    return this.metric('StateWrites', Stats.SUM, {}, 'State writes');
  }

  batchesFailed(): Metric {
    return this.metric('BatchesFailed', Stats.SUM, {}, 'Batches failed');
  }

  /**
   * DetectorErrors summed over all detectors. An alarm cannot use SEARCH, but it can use a
   * Metrics Insights query, and the detector set is open.
   */
  detectorErrorsTotal(): MathExpression {
    return new MathExpression({
      expression: `SELECT SUM(DetectorErrors) FROM SCHEMA("${METRICS_NAMESPACE}", Detector, service) WHERE service = '${SERVICE_NAME}'`,
      label: 'Detector errors',
      period: this.period,
      usingMetrics: {},
    });
  }

  toolCalls(server: string): Metric {
    return this.metric('ToolCalls', Stats.SUM, { Server: server }, `${server} calls`);
  }

  toolErrors(server: string): Metric {
    return this.metric('ToolErrors', Stats.SUM, { Server: server }, `${server} errors`);
  }

  authFailures(server: string): Metric {
    return this.metric('AuthFailures', Stats.SUM, { Server: server }, `${server} auth failures`);
  }

  /** `statistic` is a percentile such as Stats.p(99). */
  toolLatency(server: string, statistic: string): Metric {
    return this.metric('ToolLatency', statistic, { Server: server }, `${server} ${statistic}`);
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
    return this.searchByDimension('AuthFailures', 'Server');
  }

  toolCallsByServer(): MathExpression {
    return this.searchByDimension('ToolCalls', 'Server');
  }
}

export type { IMetric };
