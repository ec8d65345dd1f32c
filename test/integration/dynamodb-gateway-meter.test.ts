import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allowEverything } from '#infra/local/aws/authorization.ts';
import { type MeteredCall, startDynamoDbGateway } from '#infra/local/aws/dynamodb-gateway.ts';
import type { LocalEndpoint } from '#infra/local/aws/json-protocol.ts';
import { localDynamoDbConfig } from '#shared/store/client.ts';
import { freshTable } from '../support/table.ts';

let gateway: LocalEndpoint;
let client: DynamoDBDocumentClient;
let tableName: string;
const calls: MeteredCall[] = [];

beforeAll(async () => {
  ({ tableName } = await freshTable());
  gateway = await startDynamoDbGateway({
    target: inject('dynamoDbEndpoint'),
    authorize: allowEverything,
    meter: (call) => calls.push(call),
  });
  client = DynamoDBDocumentClient.from(new DynamoDBClient(localDynamoDbConfig(gateway.url)));
});

afterAll(async () => {
  client?.destroy();
  await gateway?.stop();
});

let next = 0;
const item = (bytes: number, id = `item-${next++}`) => ({ PK: id, SK: 'X', blob: 'x'.repeat(bytes) });
const put = (Item: Record<string, unknown>) => ({ Put: { TableName: tableName, Item } });

/** The write units the meter was told the transaction consumed, and what the caller was answered. */
async function metered(actions: NonNullable<TransactWriteCommandInput['TransactItems']>) {
  calls.length = 0;
  const answer = await client.send(new TransactWriteCommand({ TransactItems: actions }));
  const [call] = calls.filter((seen) => seen.operation === 'TransactWriteItems');
  const [capacity] = (call?.output?.ConsumedCapacity ?? []) as { CapacityUnits: number }[];
  return { units: capacity?.CapacityUnits, answered: answer.ConsumedCapacity };
}

describe('the metering of a transaction', () => {
  it('counts two units per started KB of every item, however many have the same size', async () => {
    expect((await metered([put(item(500)), put(item(500)), put(item(500))])).units).toBe(6);
    expect((await metered([put(item(2500))])).units).toBe(6);
    expect((await metered([put(item(2500)), put(item(500))])).units).toBe(8);
  });

  it('counts the larger of the item before and after, and a checked item as a write of it', async () => {
    const large = item(2500);
    await client.send(new PutCommand({ TableName: tableName, Item: large }));
    expect((await metered([put({ ...large, blob: 'small' })])).units).toBe(6);
    const checked = item(1500);
    await client.send(new PutCommand({ TableName: tableName, Item: checked }));
    const check = {
      ConditionCheck: {
        TableName: tableName,
        Key: { PK: checked.PK, SK: 'X' },
        ConditionExpression: 'attribute_exists(PK)',
      },
    };
    expect((await metered([check, put(item(100))])).units).toBe(6);
  });

  it('answers the caller as DynamoDB would, without the capacity it did not ask for', async () => {
    expect((await metered([put(item(100))])).answered).toBeUndefined();
  });
});
