import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import { batchGetAll } from '../batch-get.ts';
import { concurrentModification } from '../conditional.ts';
import { decodeIfPresent } from '../entities/entity.ts';
import {
  type HoldRelease,
  type PayoutHold,
  payoutHoldEntity,
  payoutHoldKey,
  payoutHoldReleaseEntity,
  payoutHoldReleaseKey,
  type SellerPayoutHold,
} from '../entities/payout-hold.ts';
import { TransactionPlan } from '../transaction.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

export const payoutHold = async (
  { client, tableName }: PayoutRunTable,
  sellerId: string,
): Promise<SellerPayoutHold | undefined> => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: payoutHoldKey(sellerId),
      ConsistentRead: true,
    }),
  );
  return decodeIfPresent(payoutHoldEntity, Item);
};

export const placePayoutHold = async (
  { client, tableName }: PayoutRunTable,
  sellerId: string,
  hold: { reason: string; by: string },
): Promise<void> => {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: payoutHoldEntity.item(payoutHoldKey(sellerId), {
        sellerId,
        ...hold,
        since: new Date().toISOString(),
      }),
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
  const cancelled = await new TransactionPlan<'hold' | 'release'>()
    .add('hold', {
      Delete: {
        TableName: table.tableName,
        Key: payoutHoldKey(sellerId),
        ConditionExpression: 'since = :since',
        ExpressionAttributeValues: { ':since': hold.since },
      },
    })
    .add('release', {
      Put: {
        TableName: table.tableName,
        Item: payoutHoldReleaseEntity.item(payoutHoldReleaseKey(sellerId, released.released.at), released),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    })
    .write(table.client);
  // Released, or placed again, since it was read.
  if (cancelled) throw concurrentModification();
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
    sellerIds.map((sellerId) => payoutHoldKey(sellerId)),
  );
  return new Set(holds.map((item) => payoutHoldEntity.decode(item).sellerId));
};
