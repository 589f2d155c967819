/**
 * EventBridge rules for CloudTrail management events that change the configured MCP resources
 * (code, configuration, permissions). Matching events go to the config-change Lambda, which turns
 * them into alerts. One rule per resource type keeps each event pattern small.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoredResources {
  /** Lambda functions serving MCP. @default - none */
  readonly lambdaFunctionNames?: readonly string[];
  /** ECS clusters whose services serve MCP (service create/update/delete). @default - none */
  readonly ecsClusterNames?: readonly string[];
  /** ECS task definition families of MCP servers (new revisions). @default - none */
  readonly ecsTaskDefinitionFamilies?: readonly string[];
  /** IAM roles of MCP servers (policy and trust changes). @default - none */
  readonly iamRoleNames?: readonly string[];
  /** SSM parameter name prefixes holding MCP server configuration. @default - none */
  readonly ssmParameterPrefixes?: readonly string[];
  /** Amazon Bedrock AgentCore gateway ids (gateway and target changes). @default - none */
  readonly agentCoreGatewayIds?: readonly string[];
}

type Matcher = string | Record<string, string>;

interface ChangePattern {
  readonly id: string;
  readonly description: string;
  readonly source: string;
  readonly eventSource: string;
  readonly eventNames: readonly Matcher[];
  readonly requestParameters: Record<string, readonly Matcher[]>;
}

const prefixes = (names: readonly string[]): Matcher[] => names.map((prefix) => ({ prefix }));

/** The change patterns for the configured resources; resource types with no resources are left out. */
export function configChangePatterns(resources: MonitoredResources): ChangePattern[] {
  const patterns: ChangePattern[] = [];
  const functions = resources.lambdaFunctionNames ?? [];
  if (functions.length > 0) {
    patterns.push({
      id: 'LambdaChanges',
      description: 'Code, configuration and permission changes of MCP Lambda functions',
      source: 'aws.lambda',
      eventSource: 'lambda.amazonaws.com',
      // CloudTrail names Lambda events with an API version suffix (UpdateFunctionCode20150331v2).
      eventNames: prefixes([
        'UpdateFunctionCode',
        'UpdateFunctionConfiguration',
        'AddPermission',
        'RemovePermission',
        'CreateFunctionUrlConfig',
        'UpdateFunctionUrlConfig',
        'UpdateAlias',
        'PublishVersion',
        'DeleteFunction',
      ]),
      // Callers may name a function, its ARN, or a qualified ARN.
      requestParameters: {
        functionName: functions.flatMap((name): Matcher[] => [
          name,
          { suffix: `:function:${name}` },
          { wildcard: `*:function:${name}:*` },
        ]),
      },
    });
  }
  const clusters = resources.ecsClusterNames ?? [];
  if (clusters.length > 0) {
    patterns.push({
      id: 'EcsServiceChanges',
      description: 'Service changes in ECS clusters running MCP servers',
      source: 'aws.ecs',
      eventSource: 'ecs.amazonaws.com',
      eventNames: ['CreateService', 'UpdateService', 'DeleteService', 'UpdateCluster'],
      requestParameters: {
        cluster: clusters.flatMap((name): Matcher[] => [name, { suffix: `:cluster/${name}` }]),
      },
    });
  }
  const families = resources.ecsTaskDefinitionFamilies ?? [];
  if (families.length > 0) {
    patterns.push({
      id: 'EcsTaskDefinitionChanges',
      description: 'New task definition revisions of MCP servers on ECS',
      source: 'aws.ecs',
      eventSource: 'ecs.amazonaws.com',
      eventNames: ['RegisterTaskDefinition'],
      requestParameters: { family: [...families] },
    });
  }
  const roles = resources.iamRoleNames ?? [];
  if (roles.length > 0) {
    patterns.push({
      id: 'IamRoleChanges',
      description: 'Policy, trust and boundary changes of MCP server IAM roles',
      source: 'aws.iam',
      eventSource: 'iam.amazonaws.com',
      eventNames: [
        'PutRolePolicy',
        'DeleteRolePolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'UpdateAssumeRolePolicy',
        'PutRolePermissionsBoundary',
        'DeleteRolePermissionsBoundary',
        'UpdateRole',
      ],
      requestParameters: { roleName: [...roles] },
    });
  }
  const parameterPrefixes = resources.ssmParameterPrefixes ?? [];
  if (parameterPrefixes.length > 0) {
    patterns.push({
      id: 'SsmParameterChanges',
      description: 'Changes of SSM parameters holding MCP server configuration',
      source: 'aws.ssm',
      eventSource: 'ssm.amazonaws.com',
      eventNames: ['PutParameter', 'DeleteParameter', 'LabelParameterVersion'],
      requestParameters: { name: prefixes(parameterPrefixes) },
    });
  }
  const gateways = resources.agentCoreGatewayIds ?? [];
  if (gateways.length > 0) {
    patterns.push({
      id: 'AgentCoreGatewayChanges',
      description: 'Gateway and target changes of Amazon Bedrock AgentCore MCP gateways',
      source: 'aws.bedrock-agentcore',
      eventSource: 'bedrock-agentcore.amazonaws.com',
      eventNames: [
        'UpdateGateway',
        'DeleteGateway',
        'CreateGatewayTarget',
        'UpdateGatewayTarget',
        'DeleteGatewayTarget',
      ],
      requestParameters: {
        gatewayIdentifier: gateways.flatMap((id): Matcher[] => [id, { suffix: `:gateway/${id}` }]),
      },
    });
  }
  return patterns;
}

export interface ConfigChangeRulesProps {
  readonly resources: MonitoredResources;
  /** The config-change Lambda. */
  readonly handler: IFunction;
  /** Receives events EventBridge could not deliver to the Lambda. */
  readonly deadLetterQueue: IQueue;
}

export class ConfigChangeRules extends Construct {
  readonly rules: readonly Rule[];

  constructor(scope: Construct, id: string, props: ConfigChangeRulesProps) {
    super(scope, id);
    const target = new LambdaFunction(props.handler, {
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
    this.rules = configChangePatterns(props.resources).map(
      (pattern) =>
        new Rule(this, pattern.id, {
          description: `MCP Watchtower: ${pattern.description}`,
          eventPattern: {
            source: [pattern.source],
            detailType: ['AWS API Call via CloudTrail'],
            detail: {
              eventSource: [pattern.eventSource],
              eventName: pattern.eventNames,
              requestParameters: pattern.requestParameters,
            },
          },
          targets: [target],
        }),
    );
  }
}
