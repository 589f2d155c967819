/**
 * A DynamoDB client whose writes wait until `readers` BatchGetItem requests have completed, so
 * batches started together really overlap (all load before any commits) whatever the scheduling:
 * the concurrent-merge path runs deterministically.
 */
import { BatchGetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export function overlappingClient(client: DynamoDBClient, readers: number): DynamoDBClient {
  let reads = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof UpdateItemCommand || command instanceof PutItemCommand) await gate;
    const out = await (client.send as (c: unknown) => Promise<unknown>)(command);
    if (command instanceof BatchGetItemCommand && ++reads >= readers) open();
    return out;
  };
  return new Proxy(client, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
}
