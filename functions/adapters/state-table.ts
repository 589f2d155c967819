/**
 * The state table's shape, as the CDK stack creates it (infra/constructs/mcp-security-monitoring.ts):
 * partition key `pk`, sort key `sk` (both strings), on-demand billing, TTL on `ttl`. Used by the
 * CLI's `--create-table`, the emulator tests and the DynamoDB bench.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

export const STATE_TABLE_PARTITION_KEY = 'pk';
export const STATE_TABLE_SORT_KEY = 'sk';
export const STATE_TABLE_TTL_ATTRIBUTE = 'ttl';

export type EnsureTableResult = 'created' | 'exists';

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function checkKeySchema(table: TableDescription, tableName: string): void {
  const keys = table.KeySchema ?? [];
  const hash = keys.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = keys.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (hash !== STATE_TABLE_PARTITION_KEY || range !== STATE_TABLE_SORT_KEY) {
    throw new Error(
      `table ${tableName} exists with key schema ${hash ?? '-'}/${range ?? '-'}; the state table needs ${STATE_TABLE_PARTITION_KEY}/${STATE_TABLE_SORT_KEY}`,
    );
  }
}

/** Creates the state table if it is missing and waits until it is ACTIVE with TTL on. */
export async function ensureStateTable(
  client: DynamoDBClient,
  tableName: string,
  options: { readonly maxWaitSeconds?: number } = {},
): Promise<EnsureTableResult> {
  const existing = await describe(client, tableName);
  let result: EnsureTableResult = 'exists';
  if (existing) checkKeySchema(existing, tableName);
  else {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: STATE_TABLE_PARTITION_KEY, AttributeType: 'S' },
            { AttributeName: STATE_TABLE_SORT_KEY, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: STATE_TABLE_PARTITION_KEY, KeyType: 'HASH' },
            { AttributeName: STATE_TABLE_SORT_KEY, KeyType: 'RANGE' },
          ],
          SSESpecification: { Enabled: true },
        }),
      );
      result = 'created';
    } catch (error) {
      // Another process created it meanwhile: fine, wait for it like for our own.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  if (existing?.TableStatus !== 'ACTIVE') {
    await waitUntilTableExists({ client, maxWaitTime: options.maxWaitSeconds ?? 300, minDelay: 1, maxDelay: 5 }, { TableName: tableName });
  }
  await ensureTtl(client, tableName);
  return result;
}

async function ensureTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') {
    const attribute = ttl.TimeToLiveDescription?.AttributeName;
    if (attribute !== undefined && attribute !== STATE_TABLE_TTL_ATTRIBUTE) {
      throw new Error(`table ${tableName} has TTL on "${attribute}"; the state table expires items by "${STATE_TABLE_TTL_ATTRIBUTE}"`);
    }
    return;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: STATE_TABLE_TTL_ATTRIBUTE },
    }),
  );
}
