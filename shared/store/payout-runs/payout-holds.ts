import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import { auditEntryPut } from '../admin-audit-store.ts';
import { batchGetAll } from '../batch-get.ts';
import { concurrentModification, type TransactItem } from '../conditional.ts';
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

/**
 * The writes that hold the seller's payouts back and audit it, for a transaction; `ifNone` places it
 * only where no hold is (otherwise a new hold replaces the one in place).
 */
export const holdPlacement = (
  tableName: string,
  hold: SellerPayoutHold,
  { ifNone }: { ifNone: boolean },
): TransactItem[] => [
  {
    Put: {
      TableName: tableName,
      Item: payoutHoldEntity.item(payoutHoldKey(hold.sellerId), hold),
      ...(ifNone ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
    },
  },
  auditEntryPut(tableName, {
    at: hold.since,
    action: 'payout-hold.placed',
    actor: hold.by,
    target: { kind: 'user', id: hold.sellerId },
    reason: hold.reason,
  }),
];

/**
 * The writes that lift the hold read, if it is still the one read, keep it with its release as a
 * record of its own, and audit it, for a transaction.
 */
export const holdRelease = (
  tableName: string,
  hold: SellerPayoutHold,
  release: HoldRelease,
): TransactItem[] => [
  {
    Delete: {
      TableName: tableName,
      Key: payoutHoldKey(hold.sellerId),
      ConditionExpression: 'since = :since',
      ExpressionAttributeValues: { ':since': hold.since },
    },
  },
  {
    Put: {
      TableName: tableName,
      Item: payoutHoldReleaseEntity.item(payoutHoldReleaseKey(hold.sellerId, release.at), {
        ...hold,
        released: release,
      }),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  },
  auditEntryPut(tableName, {
    at: release.at,
    action: 'payout-hold.released',
    actor: release.by,
    target: { kind: 'user', id: hold.sellerId },
    reason: release.reason,
  }),
];

export const placePayoutHold = async (
  table: PayoutRunTable,
  sellerId: string,
  hold: { reason: string; by: string },
): Promise<void> => {
  const placed = { sellerId, ...hold, since: new Date().toISOString() };
  const cancelled = await new TransactionPlan<'hold'>()
    .add('hold', ...holdPlacement(table.tableName, placed, { ifNone: false }))
    .write(table.client);
  if (cancelled) throw cancelled.unexplained();
};

/** Lifts the seller's hold and keeps it, with its release, as a record of its own (see holdRelease). */
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
  const cancelled = await new TransactionPlan<'release'>()
    .add('release', ...holdRelease(table.tableName, hold, released.released))
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
