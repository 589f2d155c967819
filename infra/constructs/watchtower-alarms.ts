/**
 * CloudWatch alarms of the pipeline, notifying the alert topic:
 * - per MCP server, anomaly-detection bands on call volume, error rate and p99 latency, plus a
 *   static Critical tier on the error rate;
 * - pipeline health with Warning/Critical tiers: ingest errors, throttles, duration near the
 *   timeout, DLQ depth, alert delivery failures, detector errors, DynamoDB throttles and, with
 *   Kinesis, the iterator age.
 * Alarm names are stable and readable: `<prefix>-<server>-ToolLatencyP99-Anomaly`,
 * `<prefix>-Ingest-Errors-Critical`.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AnomalyDetectionAlarm,
  ComparisonOperator,
  MathExpression,
  Stats,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WatchtowerMetrics } from './watchtower-metrics.js';

export interface WatchtowerAlarmsProps {
  /** First segment of every alarm name (the stack name). */
  readonly namePrefix: string;
  readonly metrics: WatchtowerMetrics;
  /** MCP server names (the `Server` dimension) that get anomaly alarms. @default - none */
  readonly servers?: readonly string[];
  /** Every alarm notifies this topic on ALARM and on OK. */
  readonly topic: ITopic;
  readonly ingestFunction: IFunction;
  /**
   * The ingest function's timeout; the duration alarm fires at 80% of it.
   * @default Duration.minutes(1)
   */
  readonly ingestTimeout?: Duration;
  readonly configChangeFunction: IFunction;
  /** Failed invocations and batches. */
  readonly deadLetterQueue: IQueue;
  /** Alerts SNS could not deliver. */
  readonly alertDeliveryDeadLetterQueue: IQueue;
  readonly table: ITable;
  /** Set when ingestion goes through Kinesis: adds the iterator-age alarms. @default - direct ingestion */
  readonly kinesisIngestion?: boolean;
  /**
   * Width of the anomaly band in standard deviations; wider means fewer alarms.
   * @default 3
   */
  readonly anomalyStdDevs?: number;
  /**
   * Error rate (percent of tool calls) at which a server's Critical alarm fires.
   * @default 50
   */
  readonly criticalErrorRatePercent?: number;
}

export class WatchtowerAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: WatchtowerAlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    this.prefix = props.namePrefix;
    const stdDevs = props.anomalyStdDevs ?? 3;

    for (const server of props.servers ?? []) this.addServerAlarms(server, props.metrics, stdDevs, props);
    this.addPipelineAlarms(props);
  }

  private addServerAlarms(
    server: string,
    metrics: WatchtowerMetrics,
    stdDevs: number,
    props: WatchtowerAlarmsProps,
  ) {
    const anomaly = (name: string, metric: IMetric, description: string) =>
      this.register(
        new AnomalyDetectionAlarm(this, `${server}-${name}-Anomaly`, {
          alarmName: `${this.prefix}-${server}-${name}-Anomaly`,
          alarmDescription: description,
          metric,
          stdDevs,
          comparisonOperator: ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    anomaly(
      'ToolCalls',
      metrics.toolCalls(server),
      `Warning: tool call volume of MCP server ${server} is above its usual band (abuse, runaway agent loop, scraping).`,
    );
    anomaly(
      'ToolErrorRate',
      metrics.toolErrorRate(server),
      `Warning: the share of failing tool calls on MCP server ${server} is above its usual band.`,
    );
    anomaly(
      'ToolLatencyP99',
      metrics.toolLatency(server, Stats.p(99)),
      `Warning: p99 tool latency of MCP server ${server} is above its usual band.`,
    );
    this.threshold(`${server}-ToolErrorRate-Critical`, {
      metric: metrics.toolErrorRate(server),
      threshold: props.criticalErrorRatePercent ?? 50,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      description: `Critical: at least ${props.criticalErrorRatePercent ?? 50}% of tool calls on MCP server ${server} failed for three periods.`,
    });
  }

  private addPipelineAlarms(props: WatchtowerAlarmsProps) {
    const ingest = props.ingestFunction;
    const fiveMinutes = Duration.minutes(5);
    const ingestErrors = ingest.metricErrors({ period: fiveMinutes, statistic: Stats.SUM });
    this.threshold('Ingest-Errors-Warning', {
      metric: ingestErrors,
      threshold: 1,
      description:
        'Warning: the ingest Lambda failed at least once; failed batches are retried, then land in the DLQ.',
    });
    this.threshold('Ingest-Errors-Critical', {
      metric: ingestErrors,
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      description:
        'Critical: the ingest Lambda has failed in each of the last three periods; MCP logs are not being analysed.',
    });
    this.threshold('Ingest-Throttles-Warning', {
      metric: ingest.metricThrottles({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 1,
      description: 'Warning: the ingest Lambda is throttled (account concurrency); events are delayed.',
    });
    const timeout = props.ingestTimeout ?? Duration.minutes(1);
    this.threshold('Ingest-Duration-Warning', {
      metric: ingest.metricDuration({ period: fiveMinutes, statistic: Stats.p(99) }),
      threshold: Math.round(timeout.toMilliseconds() * 0.8),
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      description: 'Warning: p99 ingest duration is above 80% of the function timeout.',
    });
    this.threshold('ConfigChange-Errors-Warning', {
      metric: props.configChangeFunction.metricErrors({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 1,
      description:
        'Warning: the config-change Lambda failed; CloudTrail events are retried, then land in the DLQ.',
    });
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: fiveMinutes,
      statistic: Stats.MAXIMUM,
    });
    this.threshold('FailedEvents-Dlq-Warning', {
      metric: dlqDepth,
      threshold: 1,
      description:
        'Warning: failed events are waiting in the DLQ; run `mcp-watchtower redrive` once the cause is fixed.',
    });
    this.threshold('FailedEvents-Dlq-Critical', {
      metric: dlqDepth,
      threshold: 100,
      description: 'Critical: 100 or more failed events are waiting in the DLQ; detection has a large gap.',
    });
    this.threshold('AlertDelivery-Dlq-Critical', {
      metric: props.alertDeliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      description:
        'Critical: SNS could not deliver alerts to a subscriber; they wait in the alert delivery DLQ.',
    });
    this.threshold('DetectorErrors-Warning', {
      metric: props.metrics.detectorErrorsTotal(),
      threshold: 1,
      description:
        'Warning: a detector threw while evaluating events; see DetectorErrors by detector on the dashboard.',
    });
    this.threshold('BatchesFailed-Warning', {
      metric: props.metrics.batchesFailed(),
      threshold: 1,
      description: 'Warning: the ingest Lambda reported failed batches or records.',
    });
    this.threshold('StateTable-Throttles-Warning', {
      metric: new MathExpression({
        expression: 'FILL(reads, 0) + FILL(writes, 0)',
        usingMetrics: {
          reads: props.table.metric('ReadThrottleEvents', { period: fiveMinutes, statistic: Stats.SUM }),
          writes: props.table.metric('WriteThrottleEvents', { period: fiveMinutes, statistic: Stats.SUM }),
        },
        label: 'State table throttled requests',
        period: fiveMinutes,
      }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: 'Warning: DynamoDB throttles the state table; detector state updates are retried.',
    });
    if (props.kinesisIngestion === true) {
      const iteratorAge = ingest.metric('IteratorAge', { period: fiveMinutes, statistic: Stats.MAXIMUM });
      this.threshold('Ingest-IteratorAge-Warning', {
        metric: iteratorAge,
        threshold: Duration.minutes(1).toMilliseconds(),
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        description: 'Warning: the ingest Lambda is more than a minute behind the Kinesis stream.',
      });
      this.threshold('Ingest-IteratorAge-Critical', {
        metric: iteratorAge,
        threshold: Duration.hours(1).toMilliseconds(),
        description:
          'Critical: the ingest Lambda is more than an hour behind; records expire with the stream retention.',
      });
    }
  }

  private threshold(
    name: string,
    options: {
      metric: IMetric;
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): Alarm {
    return this.register(
      new Alarm(this, name, {
        alarmName: `${this.prefix}-${name}`,
        alarmDescription: options.description,
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private register<T extends Alarm>(alarm: T): T {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
