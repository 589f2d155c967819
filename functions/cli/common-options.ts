/** Options shared by the detection commands, parsed and checked once. */
import { Option } from 'commander';
import { SEVERITIES, type Severity } from '../engine/alerts/severity.js';
import type { FormatChoice } from '../engine/events/normalize.js';
import { UsageError } from './usage-error.js';

export const FORMATS = ['auto', 'canonical', 'jsonrpc', 'lambda-text', 'lambda-report', 'agentgateway', 'apigw-access'] as const;

export interface DetectionOptions {
  readonly config?: string;
  readonly format: FormatChoice;
  readonly output: 'text' | 'json';
  readonly failOn?: Severity;
  readonly batchSize: number;
  readonly state?: string;
  /** `--rules` paths (Sigma rule files or folders) added to the config's. */
  readonly rules?: readonly string[];
}

export function detectionOptions(): Option[] {
  return [
    new Option('-c, --config <file>', 'config file (default: ./watchtower.config.yaml if present, else built-in defaults)'),
    new Option('-f, --format <format>', 'input format').choices(FORMATS).default('auto'),
    new Option('-o, --output <output>', 'text: a readable report; json: one JSON alert per line on stdout').choices(['text', 'json']).default('text'),
    new Option('--fail-on <severity>', 'exit with code 3 when an alert at or above this severity fired').choices(SEVERITIES),
    new Option('--batch-size <n>', 'log lines per batch').default('1000'),
    new Option('--rules <path>', 'Sigma rule file or folder to load beside the config\'s (repeatable)').argParser((value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      value,
    ]),
  ];
}

export function checkDetectionOptions(raw: Record<string, unknown>): DetectionOptions {
  const batchSize = Number(raw.batchSize ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new UsageError(`--batch-size must be an integer between 1 and 100000, got ${String(raw.batchSize)}`);
  }
  return {
    ...(typeof raw.config === 'string' ? { config: raw.config } : {}),
    format: (raw.format as FormatChoice | undefined) ?? 'auto',
    output: raw.output === 'json' ? 'json' : 'text',
    ...(typeof raw.failOn === 'string' ? { failOn: raw.failOn as Severity } : {}),
    batchSize,
    ...(typeof raw.state === 'string' ? { state: raw.state } : {}),
    ...(Array.isArray(raw.rules) ? { rules: raw.rules as string[] } : {}),
  };
}

/** Options that point a command at AWS: DynamoDB state and SNS publishing (functions/cli/runtime.ts). */
export interface AwsOptions {
  readonly state?: string;
  readonly table?: string;
  readonly dynamodbEndpoint?: string;
  readonly createTable?: boolean;
  readonly snsTopicArn?: string;
  readonly snsEndpoint?: string;
  readonly region?: string;
}

export function awsOptions(): Option[] {
  return [
    new Option('--state <store>', 'detector state: memory (default) or dynamodb (needs --table)').choices(['memory', 'dynamodb']),
    new Option('--table <name>', 'DynamoDB state table (the stack\'s StateTable output); implies --state dynamodb'),
    new Option('--dynamodb-endpoint <url>', 'DynamoDB endpoint, e.g. http://localhost:8000 for DynamoDB Local'),
    new Option('--create-table', 'create the state table (same key schema and TTL as the stack\'s) if it is missing'),
    new Option('--sns-topic-arn <arn>', 'also publish every alert to this SNS topic (each alert once with --state dynamodb)'),
    new Option('--sns-endpoint <url>', 'SNS endpoint (an emulator)'),
    new Option('--region <region>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile\'s)'),
  ];
}

function stringOption(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function checkAwsOptions(raw: Record<string, unknown>): AwsOptions {
  const out: Record<string, string | boolean> = {};
  for (const name of ['state', 'table', 'dynamodbEndpoint', 'snsTopicArn', 'snsEndpoint', 'region'] as const) {
    const value = stringOption(raw, name);
    if (value !== undefined) out[name] = value;
  }
  for (const name of ['dynamodbEndpoint', 'snsEndpoint'] as const) {
    const url = out[name];
    if (typeof url === 'string' && !/^https?:\/\/[^\s/]+/.test(url)) {
      throw new UsageError(`--${name === 'dynamodbEndpoint' ? 'dynamodb-endpoint' : 'sns-endpoint'} must be an http(s) URL, got ${url}`);
    }
  }
  if (raw.createTable === true) out.createTable = true;
  return out as AwsOptions;
}
