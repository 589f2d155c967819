/**
 * The deployable stack: maps the `deployment:` section of watchtower.config.yaml onto one
 * McpSecurityMonitoring construct and exports what operators need after a deploy.
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment-schema.js';
import type { EngineConfigJson } from '../config/load-config.js';
import {
  McpSecurityMonitoring,
  type McpSecurityMonitoringProps,
} from '../constructs/mcp-security-monitoring.js';

export interface WatchtowerStackProps extends StackProps {
  readonly deployment: DeploymentConfig;
  readonly engineConfig: EngineConfigJson;
  /** @default - the repository's handlers */
  readonly handlerEntries?: McpSecurityMonitoringProps['handlerEntries'];
}

export class WatchtowerStack extends Stack {
  readonly monitoring: McpSecurityMonitoring;

  constructor(scope: Construct, id: string, props: WatchtowerStackProps) {
    super(scope, id, {
      description: 'MCP Watchtower: security monitoring and alerting for MCP servers',
      ...props,
    });
    const d = props.deployment;
    const kinesis = d.ingestion.mode === 'kinesis' ? d.ingestion : undefined;

    this.monitoring = new McpSecurityMonitoring(this, 'Monitoring', {
      sources: { logGroups: d.sources.logGroups, logGroupPrefixes: d.sources.logGroupPrefixes },
      ingestion: d.ingestion.mode,
      ...(kinesis === undefined
        ? {}
        : {
            kinesis: {
              ...(kinesis.shardCount === undefined ? {} : { shardCount: kinesis.shardCount }),
              batchSize: kinesis.batchSize,
              parallelizationFactor: kinesis.parallelizationFactor,
              maxBatchingWindow: Duration.seconds(kinesis.maxBatchingWindowSeconds),
              retentionPeriod: Duration.hours(kinesis.retentionHours),
            },
          }),
      alertSubscribers: d.alerts,
      ...(d.encryption.kmsKeyArn === undefined
        ? {}
        : { encryptionKey: Key.fromKeyArn(this, 'CustomerKey', d.encryption.kmsKeyArn) }),
      logRetention: d.logRetentionDays as RetentionDays,
      engineConfig: props.engineConfig,
      monitoredResources: d.monitoredResources,
      servers: d.servers,
      removalPolicy: d.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      logLevel: d.logLevel,
      ingestMemorySize: d.ingestMemoryMb,
      ingestReservedConcurrency: d.ingestReservedConcurrency ?? undefined,
      namePrefix: id,
      anomalyStdDevs: d.alarms.anomalyStdDevs,
      metricPeriod: Duration.minutes(d.alarms.periodMinutes),
      integrations: {
        securityHub: d.integrations.securityHub.enabled,
        chat: d.integrations.chat.enabled,
        ...(d.integrations.pagerDuty.routingKeySecretName === undefined
          ? {}
          : { pagerDuty: { routingKeySecretName: d.integrations.pagerDuty.routingKeySecretName, minSeverity: d.integrations.pagerDuty.minSeverity } }),
      },
      ...(props.handlerEntries === undefined ? {} : { handlerEntries: props.handlerEntries }),
    });

    const m = this.monitoring;
    new CfnOutput(this, 'DashboardUrl', {
      description: 'CloudWatch dashboard',
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${m.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'AlertTopicArn', {
      description: 'Subscribe here for alerts',
      value: m.topic.topicArn,
    });
    new CfnOutput(this, 'StateTableName', {
      description: 'Detector state (--table for the CLI)',
      value: m.table.tableName,
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Failed events (mcp-watchtower redrive --queue-url)',
      value: m.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'AlertDeliveryDeadLetterQueueUrl', {
      description: 'Alerts SNS could not deliver',
      value: m.alertDeliveryDeadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'IngestFunctionName', { value: m.ingestFunction.functionName });
    if (m.integrations?.chatTopic !== undefined) {
      new CfnOutput(this, 'ChatTopicArn', {
        description: 'Attach to an Amazon Q Developer Slack or Teams channel configuration',
        value: m.integrations.chatTopic.topicArn,
      });
    }
    if (m.integrations?.deadLetterQueue !== undefined) {
      new CfnOutput(this, 'IntegrationsDeadLetterQueueUrl', {
        description: 'Security Hub / PagerDuty events that could not be delivered',
        value: m.integrations.deadLetterQueue.queueUrl,
      });
    }
  }
}
