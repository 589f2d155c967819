/**
 * AWS SDK clients as the pipeline uses them, for Lambda and the CLI alike. Region and credentials
 * come from the standard AWS chain unless given; `endpoint` points a client at an emulator
 * (DynamoDB Local, fauxqs) or a VPC endpoint.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClientOptions {
  /** Service endpoint URL (an emulator in tests). @default the AWS endpoint of the region */
  readonly endpoint?: string;
  /** @default the standard chain: AWS_REGION, AWS_DEFAULT_REGION, the shared config profile */
  readonly region?: string;
}

function common(options: AwsClientOptions): { endpoint?: string; region?: string } {
  return {
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  };
}

/**
 * SNS with adaptive retry: throttling (Publish is rate-limited per topic) and transient errors are
 * retried up to six attempts with client-side rate limiting, before the batch is failed.
 */
export function createSnsClient(options: AwsClientOptions = {}): SNSClient {
  return new SNSClient({ ...common(options), maxAttempts: 6, retryMode: 'adaptive' });
}

/** DynamoDB with standard retries (throttling and 5xx); a batch that still fails is redelivered. */
export function createDynamoDbClient(options: AwsClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({ ...common(options), maxAttempts: 5, retryMode: 'standard' });
}

export function createSqsClient(options: AwsClientOptions = {}): SQSClient {
  return new SQSClient({ ...common(options), maxAttempts: 5, retryMode: 'standard' });
}

export function createCloudWatchLogsClient(options: AwsClientOptions = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...common(options), maxAttempts: 6, retryMode: 'adaptive' });
}

/** Anything that resolves its region and credentials the way AWS SDK v3 clients do. */
export interface ResolvableClient {
  readonly config: {
    region: () => Promise<string>;
    credentials: () => Promise<unknown>;
  };
}

/**
 * Resolves region and credentials now, so a CLI run fails before it starts with a message that
 * says what to set, instead of on the first request with the SDK's own wording.
 */
export async function checkClientSetup(client: ResolvableClient, what: string): Promise<void> {
  let region: string | undefined;
  try {
    region = await client.config.region();
  } catch {
    region = undefined;
  }
  if (region === undefined || region === '') throw new AwsSetupError(`no AWS region for ${what}: set AWS_REGION or --region`);
  try {
    await client.config.credentials();
  } catch (error) {
    throw new AwsSetupError(
      `no AWS credentials for ${what}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run \`aws sso login\` (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** Region or credentials are missing. */
export class AwsSetupError extends Error {
  override readonly name = 'AwsSetupError';
}
