import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { TransactItem } from './conditional.ts';
import { entities, keys } from './table.ts';

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
      Key: keys.buyerUnpaidCheckouts(buyerId),
      UpdateExpression: 'SET entity = :entity ADD unpaid :one',
      ConditionExpression: 'attribute_not_exists(unpaid) OR unpaid < :limit',
      ExpressionAttributeValues: { ':entity': entities.buyerUnpaidCheckouts, ':one': 1, ':limit': limit },
    },
  };
}

export const tooManyUnpaidCheckouts = (limit: number) =>
  new DomainError(
    'conflict',
    'too_many_unpaid_checkouts',
    `You have ${limit} checkouts waiting for their payment; pay for one, or wait until it lapses, first.`,
  );

/** Gives the checkout's slot back to its buyer, unless it was given back already. */
export async function releaseUnpaidCheckout(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkout: { readonly id: string; readonly buyerId: string },
): Promise<void> {
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.checkout(checkout.id),
              UpdateExpression: 'REMOVE holdsUnpaidSlot',
              ConditionExpression: 'holdsUnpaidSlot = :true',
              ExpressionAttributeValues: { ':true': true },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: keys.buyerUnpaidCheckouts(checkout.buyerId),
              UpdateExpression: 'ADD unpaid :minusOne',
              ConditionExpression: 'unpaid > :zero',
              ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
            },
          },
        ],
      }),
    );
  } catch (error) {
    const given = error instanceof TransactionCanceledException;
    if (!given || error.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
  }
}
