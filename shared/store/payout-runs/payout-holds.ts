import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import { batchGetAll } from '../batch-get.ts';
import { concurrentModification } from '../conditional.ts';
import { entities, keys, withoutKeys } from '../table.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

export type PayoutHold = { reason: string; by: string; since: string };

/** Who lifted a hold, when and why. */
export type HoldRelease = { by: string; at: string; reason: string };

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

/**
 * Lifts the seller's hold and keeps it, with its release, as a record of its own: the hold read,
 * deleted only if it is still the one read, and the record written in one transaction.
 */
export const releasePayoutHold = async (
  table: PayoutRunTable,
  sellerId: string,
  release: Omit<HoldRelease, 'at'>,
): Promise<PayoutHold & { released: HoldRelease }> => {
  const hold = await payoutHold(table, sellerId);
  if (!hold) {
    throw new DomainError('not-found', 'payout_hold_not_found', `Seller ${sellerId} has no payout hold.`);
  }
  const released = { ...hold, released: { ...release, at: new Date().toISOString() } };
  try {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: table.tableName,
              Key: keys.sellerPayoutHold(sellerId),
              ConditionExpression: 'since = :since',
              ExpressionAttributeValues: { ':since': hold.since },
            },
          },
          {
            Put: {
              TableName: table.tableName,
              Item: {
                ...keys.sellerPayoutHoldRelease(sellerId, released.released.at),
                entity: entities.sellerPayoutHoldRelease,
                ...released,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    // Released, or placed again, since it was read.
    if (error instanceof TransactionCanceledException) throw concurrentModification();
    throw error;
  }
  return released;
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
