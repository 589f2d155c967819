/**
 * The ports a CLI run uses. The embedded default is in-memory state, with alerts going only to the
 * CLI's own sink (printed). `--state dynamodb --table …` uses the DynamoDB state table (the one the
 * stack deploys, or DynamoDB Local with `--dynamodb-endpoint`), and `--sns-topic-arn` also
 * publishes every alert to the SNS topic — the same adapters the Lambda functions use.
 */
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AwsSetupError,
  checkClientSetup,
  createDynamoDbClient,
  createSnsClient,
  type ResolvableClient,
} from '../adapters/aws-clients.js';
import { DynamoDbStateStore } from '../adapters/dynamodb-state-store.js';
import { SnsAlertSink } from '../adapters/sns-alert-sink.js';
import { ensureStateTable } from '../adapters/state-table.js';
import type { AlertSink } from '../engine/alerts/sink.js';
import { MemoryStateStore } from '../engine/state/memory-store.js';
import type { StateStore } from '../engine/state/port.js';
import { writeLine, type CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export const STATE_KINDS = ['memory', 'dynamodb'] as const;
export type StateKind = (typeof STATE_KINDS)[number];

export interface StateOptions {
  readonly state?: string;
  /** DynamoDB state table name. */
  readonly table?: string;
  readonly dynamodbEndpoint?: string;
  /** Create the table (same key schema and TTL as the stack's) when it is missing. */
  readonly createTable?: boolean;
  readonly region?: string;
}

export interface PublishOptions {
  readonly snsTopicArn?: string;
  readonly snsEndpoint?: string;
  readonly region?: string;
}

export type AwsCliOptions = StateOptions & PublishOptions;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

function clientOptions(endpoint: string | undefined, region: string | undefined): { endpoint?: string; region?: string } {
  return { ...(endpoint !== undefined ? { endpoint } : {}), ...(region !== undefined ? { region } : {}) };
}

/** Checks region and credentials for `client`; a missing one is a usage error (exit 2) with the fix. */
export async function checkSetup(client: ResolvableClient, what: string): Promise<void> {
  try {
    await checkClientSetup(client, what);
  } catch (error) {
    if (error instanceof AwsSetupError) throw new UsageError(error.message);
    throw error;
  }
}

async function requireTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new UsageError(`DynamoDB table ${table} not found: deploy the stack, pass its state table name, or add --create-table`);
    }
    throw new UsageError(`cannot reach DynamoDB table ${table}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function stateKind(options: StateOptions): StateKind {
  const kind = options.state ?? (options.table !== undefined ? 'dynamodb' : 'memory');
  if (!(STATE_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown --state "${kind}" (expected ${STATE_KINDS.join(' or ')})`);
  }
  return kind as StateKind;
}

export async function createStateStore(options: StateOptions, io?: CliIo): Promise<StateStore> {
  const kind = stateKind(options);
  if (kind === 'memory') {
    if (options.table !== undefined || options.dynamodbEndpoint !== undefined || options.createTable) {
      throw new UsageError('--table, --dynamodb-endpoint and --create-table need --state dynamodb');
    }
    return new MemoryStateStore();
  }
  const table = options.table;
  if (table === undefined) throw new UsageError('--state dynamodb needs --table <name> (the stack\'s state table)');
  const client = createDynamoDbClient(clientOptions(options.dynamodbEndpoint, options.region));
  await checkSetup(client, 'DynamoDB');
  if (options.createTable) {
    const result = await ensureStateTable(client, table);
    if (result === 'created' && io) writeLine(io.stderr, `created DynamoDB table ${table} (pk/sk, TTL on ttl)`);
  } else await requireTable(client, table);
  return new DynamoDbStateStore({ client, tableName: table });
}

/** The SNS sink for `--sns-topic-arn`, or undefined when alerts are only printed. */
export async function createAlertPublisher(options: PublishOptions): Promise<AlertSink | undefined> {
  if (options.snsTopicArn === undefined) {
    if (options.snsEndpoint !== undefined) throw new UsageError('--sns-endpoint needs --sns-topic-arn');
    return undefined;
  }
  if (!TOPIC_ARN.test(options.snsTopicArn)) throw new UsageError(`--sns-topic-arn is not an SNS topic ARN: ${options.snsTopicArn}`);
  const client = createSnsClient(clientOptions(options.snsEndpoint, options.region));
  await checkSetup(client, 'SNS');
  return new SnsAlertSink({ client, topicArn: options.snsTopicArn });
}

export interface RuntimePorts {
  readonly store: StateStore;
  readonly publisher?: AlertSink;
}

/** State store and publisher for a detection command; warns when publishing cannot be publish-once. */
export async function createRuntimePorts(options: AwsCliOptions, io: CliIo): Promise<RuntimePorts> {
  const store = await createStateStore(options, io);
  const publisher = await createAlertPublisher(options);
  if (publisher !== undefined && stateKind(options) === 'memory') {
    writeLine(io.stderr, 'note: with --state memory every run publishes its alerts again; use --state dynamodb --table <name> to publish each alert once');
  }
  return { store, ...(publisher !== undefined ? { publisher } : {}) };
}
