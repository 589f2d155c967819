/**
 * The handlers' environment (fixed with the CDK stack, infra/constructs/mcp-security-monitoring.ts),
 * read and checked once at cold start: a missing variable fails the init, naming it.
 */
export interface HandlerSettings {
  readonly tableName: string;
  readonly topicArn: string;
  /** JSON engine config bundled with the function; undefined: built-in defaults. */
  readonly configFile?: string;
  /** The pipeline's own log groups: never processed (an alert log line must not feed back). */
  readonly ownLogGroupPrefixes: readonly string[];
  /** With an account-level subscription policy: the log groups that are sources (exact names)... */
  readonly sourceLogGroupNames: readonly string[];
  /** ...and name prefixes. Both empty: every delivered log group is a source. */
  readonly sourceLogGroupPrefixes: readonly string[];
  /** Integrations (deployment.integrations): the chat topic and the forwarders' integration topic. */
  readonly chatTopicArn?: string;
  readonly integrationTopicArn?: string;
  /** Stamped on alerts: the account (set by the stack) and the region (set by Lambda). */
  readonly account?: string;
  readonly region?: string;
  /** Emulator endpoints for tests. */
  readonly dynamoDbEndpoint?: string;
  readonly snsEndpoint?: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

function csv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function optional(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

export function handlerSettingsFrom(env: Readonly<Record<string, string | undefined>>): HandlerSettings {
  const tableName = optional(env.STATE_TABLE_NAME);
  const topicArn = optional(env.ALERT_TOPIC_ARN);
  const missing = [tableName === undefined ? 'STATE_TABLE_NAME' : undefined, topicArn === undefined ? 'ALERT_TOPIC_ARN' : undefined].filter(
    (name): name is string => name !== undefined,
  );
  if (tableName === undefined || topicArn === undefined) {
    throw new SettingsError(`mcp-watchtower handler: missing environment variable(s) ${missing.join(', ')}`);
  }
  const configFile = optional(env.WATCHTOWER_CONFIG_FILE);
  const dynamoDbEndpoint = optional(env.DYNAMODB_ENDPOINT);
  const snsEndpoint = optional(env.SNS_ENDPOINT);
  const chatTopicArn = optional(env.CHAT_TOPIC_ARN);
  const integrationTopicArn = optional(env.INTEGRATION_TOPIC_ARN);
  const account = optional(env.WATCHTOWER_ACCOUNT_ID);
  const region = optional(env.AWS_REGION);
  return {
    ...(chatTopicArn !== undefined ? { chatTopicArn } : {}),
    ...(integrationTopicArn !== undefined ? { integrationTopicArn } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(region !== undefined ? { region } : {}),
    tableName,
    topicArn,
    ...(configFile !== undefined ? { configFile } : {}),
    ownLogGroupPrefixes: csv(env.OWN_LOG_GROUP_PREFIXES),
    sourceLogGroupNames: csv(env.SOURCE_LOG_GROUP_NAMES),
    sourceLogGroupPrefixes: csv(env.SOURCE_LOG_GROUP_PREFIXES),
    ...(dynamoDbEndpoint !== undefined ? { dynamoDbEndpoint } : {}),
    ...(snsEndpoint !== undefined ? { snsEndpoint } : {}),
  };
}
