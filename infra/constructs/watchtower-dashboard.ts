/**
 * The CloudWatch dashboard: what was ingested, what fired, how each MCP server behaves, how the
 * pipeline itself is doing, and the latest alerts from the Lambda logs.
 */
import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
  Metric,
  PeriodOverride,
  SingleValueWidget,
  Stats,
  TextWidget,
  type IAlarm,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WatchtowerMetrics } from './watchtower-metrics.js';

/** Logs Insights query behind the "Recent alerts" widget (the ingest Lambda logs each alert). */
export const RECENT_ALERTS_QUERY = [
  'fields @timestamp, severity, detector, category, server, title, fingerprint',
  'filter message = "alert"',
  'sort @timestamp desc',
  'limit 100',
];

export interface WatchtowerDashboardProps {
  /** @default - CloudFormation generates one */
  readonly dashboardName?: string;
  readonly metrics: WatchtowerMetrics;
  /** MCP servers that get their own row. @default - none (the all-servers widgets remain) */
  readonly servers?: readonly string[];
  /** Width of the anomaly band drawn on the call volume graphs. @default 3 */
  readonly anomalyStdDevs?: number;
  readonly ingestFunction: IFunction;
  readonly configChangeFunction: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly alertDeliveryDeadLetterQueue: IQueue;
  readonly table: ITable;
  /** Log groups holding the alert log lines. */
  readonly alertLogGroups: readonly ILogGroup[];
  /** Alarms shown in the status widget. @default - none */
  readonly alarms?: readonly IAlarm[];
  /** Shows the iterator age when ingestion goes through Kinesis. @default false */
  readonly kinesisIngestion?: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

export class WatchtowerDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: WatchtowerDashboardProps) {
    super(scope, id);
    const m = props.metrics;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      ...(props.dashboardName === undefined ? {} : { dashboardName: props.dashboardName }),
      defaultInterval: Duration.hours(3),
      periodOverride: PeriodOverride.AUTO,
    });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# MCP Watchtower\nSecurity monitoring of MCP servers. Alerts go to the SNS alert topic; ' +
          'failed events wait in the DLQ for `mcp-watchtower redrive`.',
        width: 8,
        height: 4,
      }),
      new SingleValueWidget({
        title: 'Totals over the selected range',
        metrics: [m.eventsIngested(), m.alerts()],
        setPeriodToTimeRange: true,
        width: 8,
        height: 4,
      }),
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...(props.alarms ?? [])],
        width: 8,
        height: 4,
      }),
    );

    this.dashboard.addWidgets(
      graph('Alerts by severity', m.alertsBySeverity(), { stacked: true }),
      graph('Alerts by category', [m.alertsByCategory()], { stacked: true }),
      graph('Alerts by detector', [m.alertsByDetector()], { stacked: true }),
    );
    this.dashboard.addWidgets(
      graph('Events ingested by log group', [m.eventsIngestedByLogGroup()]),
      graph('Unparsed events by log group', [m.eventsUnparsedByLogGroup()]),
      graph('Auth failures by server', [m.authFailuresByServer()]),
    );

    for (const server of props.servers ?? []) this.dashboard.addWidgets(...serverRow(server, m, props));
    if ((props.servers ?? []).length === 0) {
      this.dashboard.addWidgets(graph('Tool calls by server', [m.toolCallsByServer()], { width: 24 }));
    }

    this.dashboard.addWidgets(...pipelineRow(props));

    this.dashboard.addWidgets(
      new LogQueryWidget({
        title: 'Recent alerts',
        logGroupNames: props.alertLogGroups.map((group) => group.logGroupName),
        queryLines: RECENT_ALERTS_QUERY,
        view: LogQueryVisualizationType.TABLE,
        width: 24,
        height: 8,
      }),
    );
  }
}

function graph(
  title: string,
  metrics: (Metric | MathExpression)[],
  options: { stacked?: boolean; width?: number; right?: (Metric | MathExpression)[] } = {},
): GraphWidget {
  return new GraphWidget({
    title,
    left: metrics,
    ...(options.right === undefined ? {} : { right: options.right }),
    stacked: options.stacked ?? false,
    width: options.width ?? 8,
    height: 6,
  });
}

function serverRow(server: string, m: WatchtowerMetrics, props: WatchtowerDashboardProps): IWidget[] {
  const calls = m.toolCalls(server);
  return [
    graph(
      `${server}: tool calls`,
      [calls, Metric.anomalyDetectionFor({ metric: calls, stdDevs: props.anomalyStdDevs ?? 3 })],
      { width: 6 },
    ),
    graph(`${server}: error rate (%)`, [m.toolErrorRate(server)], { width: 6 }),
    graph(
      `${server}: latency p50 / p99 (ms)`,
      [m.toolLatency(server, Stats.p(50)), m.toolLatency(server, Stats.p(99))],
      {
        width: 6,
      },
    ),
    graph(`${server}: auth failures`, [m.authFailures(server)], { width: 6 }),
  ];
}

function pipelineRow(props: WatchtowerDashboardProps): IWidget[] {
  const fn = props.ingestFunction;
  const cfg = props.configChangeFunction;
  const sum = { period: FIVE_MINUTES, statistic: Stats.SUM };
  const widgets: IWidget[] = [
    graph('Pipeline: Lambda invocations, errors, throttles', [
      fn.metricInvocations({ ...sum, label: 'ingest invocations' }),
      fn.metricErrors({ ...sum, label: 'ingest errors' }),
      fn.metricThrottles({ ...sum, label: 'ingest throttles' }),
      cfg.metricErrors({ ...sum, label: 'config-change errors' }),
      cfg.metricThrottles({ ...sum, label: 'config-change throttles' }),
    ]),
    graph('Pipeline: ingest duration (ms)', [
      fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(50), label: 'p50' }),
      fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99), label: 'p99' }),
      fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM, label: 'max' }),
    ]),
    graph('Pipeline: DLQ depth', [
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: Stats.MAXIMUM,
        label: 'failed events',
      }),
      props.alertDeliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: Stats.MAXIMUM,
        label: 'undelivered alerts',
      }),
    ]),
    graph(
      'Pipeline: state table',
      [
        props.table.metric('ReadThrottleEvents', { ...sum, label: 'read throttles' }),
        props.table.metric('WriteThrottleEvents', { ...sum, label: 'write throttles' }),
      ],
      { right: [props.metrics.stateWrites()] },
    ),
    graph('Pipeline: detector errors and failed batches', [
      props.metrics.detectorErrorsByDetector(),
      props.metrics.batchesFailed(),
    ]),
  ];
  if (props.kinesisIngestion === true) {
    widgets.push(
      graph('Pipeline: Kinesis iterator age (ms)', [
        fn.metric('IteratorAge', {
          period: FIVE_MINUTES,
          statistic: Stats.MAXIMUM,
          label: 'max iterator age',
        }),
      ]),
    );
  }
  return widgets;
}
