import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { TransactItem } from './conditional.ts';
import { checkoutKey } from './entities/checkout.ts';
import { unpaidCheckoutsEntity, unpaidCheckoutsKey } from './entities/unpaid-checkouts.ts';
import { TransactionPlan } from './transaction.ts';

/**
 * A buyer's checkouts that hold stock without a payment are counted on one item per buyer: a
 * checkout takes a slot when it is placed (in its placement's transaction, only while the buyer has
 * fewer than the limit) and gives it back once, when its payment goes through or its orders are
 * cancelled unpaid. The checkout item carries `holdsUnpaidSlot` until then, so a slot is never
 * given back twice.
 */
export function unpaidCheckoutClaim(tableName: string, buyerId: string, limit: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: unpaidCheckoutsKey(buyerId),
      UpdateExpression: 'SET entity = :entity, schemaVersion = :schemaVersion ADD unpaid :one',
      ConditionExpression: 'attribute_not_exists(unpaid) OR unpaid < :limit',
      ExpressionAttributeValues: {
        ':entity': unpaidCheckoutsEntity.name,
        ':schemaVersion': unpaidCheckoutsEntity.version,
        ':one': 1,
        ':limit': limit,
      },
    },
  };
}

export const tooManyUnpaidCheckouts = (limit: number) =>
  new DomainError(
    'conflict',
    'too_many_unpaid_checkouts',
    `You have ${limit} checkouts waiting for their payment; pay for one, or wait until it lapses, first.`,
  );

/** The buyer's count of unpaid checkouts, one less: written with the checkout giving its slot back. */
export function unpaidSlotRelease(tableName: string, buyerId: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: unpaidCheckoutsKey(buyerId),
      UpdateExpression: 'ADD unpaid :minusOne',
      ConditionExpression: 'unpaid > :zero',
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
    },
  };
}

/** Gives the checkout's slot back to its buyer, unless it was given back already. */
export async function releaseUnpaidCheckout(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkout: { readonly id: string; readonly buyerId: string },
): Promise<void> {
  const cancelled = await new TransactionPlan<'checkoutSlot' | 'counter'>()
    .add('checkoutSlot', {
      Update: {
        TableName: tableName,
        Key: checkoutKey(checkout.id),
        UpdateExpression: 'REMOVE holdsUnpaidSlot',
        ConditionExpression: 'holdsUnpaidSlot = :true',
        ExpressionAttributeValues: { ':true': true },
      },
    })
    .add('counter', unpaidSlotRelease(tableName, checkout.buyerId))
    .write(client);
  // Given back already: the checkout no longer holds a slot.
  if (cancelled && !cancelled.has('checkoutSlot')) throw cancelled.error;
}
