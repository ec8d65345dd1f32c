import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../batch-get.ts';
import { entities, keys, withoutKeys } from '../table.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

export type PayoutHold = { reason: string; by: string; since: string };

export const payoutHold = async (
  { client, tableName }: PayoutRunTable,
  sellerId: string,
): Promise<PayoutHold | undefined> => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.sellerPayoutHold(sellerId),
      ConsistentRead: true,
    }),
  );
  return Item ? (withoutKeys(Item) as PayoutHold) : undefined;
};

export const placePayoutHold = async (
  { client, tableName }: PayoutRunTable,
  sellerId: string,
  hold: { reason: string; by: string },
): Promise<void> => {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.sellerPayoutHold(sellerId),
        entity: entities.sellerPayoutHold,
        sellerId,
        ...hold,
        since: new Date().toISOString(),
      },
    }),
  );
};

export const releasePayoutHold = async (
  { client, tableName }: PayoutRunTable,
  sellerId: string,
): Promise<void> => {
  await client.send(new DeleteCommand({ TableName: tableName, Key: keys.sellerPayoutHold(sellerId) }));
};

/** Of these sellers, those finance holds back. */
export const sellersOnHold = async (
  { client, tableName }: PayoutRunTable,
  sellerIds: readonly string[],
): Promise<Set<string>> => {
  const holds = await batchGetAll(
    client,
    tableName,
    sellerIds.map((sellerId) => keys.sellerPayoutHold(sellerId)),
  );
  return new Set(holds.map((hold) => String(hold.sellerId)));
};
