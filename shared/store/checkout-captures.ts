import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order.ts';
import { count, counters } from '../observability/metrics.ts';
import { type CheckoutCapture, getCheckout, toCheckout } from './checkout-records.ts';
import type { TransactItem } from './conditional.ts';
import { checkoutKey } from './entities/checkout.ts';
import { orderKey } from './entities/order.ts';
import { TransactionPlan } from './transaction.ts';

/**
 * Records the capture to ask for, decided from `orders` as read: only if none is recorded yet
 * and none of those orders changed meanwhile. Answers the capture recorded, or undefined when an
 * order moved (decide again from a fresh read).
 */
export async function requestCheckoutCapture(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkoutId: string,
  capture: CheckoutCapture,
  orders: readonly Pick<Order, 'id' | 'version'>[],
): Promise<CheckoutCapture | undefined> {
  const cancelled = await new TransactionPlan<'capture' | 'ordersAsRead'>()
    .add('capture', {
      Update: {
        TableName: tableName,
        Key: checkoutKey(checkoutId),
        UpdateExpression: 'SET #capture = :capture',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#capture)',
        ExpressionAttributeNames: { '#capture': 'capture' },
        ExpressionAttributeValues: { ':capture': capture },
      },
    })
    .add(
      'ordersAsRead',
      ...orders.map((order) => ({
        ConditionCheck: {
          TableName: tableName,
          Key: orderKey(order.id),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': order.version },
        },
      })),
    )
    .write(client);
  if (!cancelled) return capture;
  if (cancelled.has('capture')) return recordedCapture(client, tableName, checkoutId);
  if (cancelled.has('ordersAsRead') || cancelled.conflict) return undefined;
  throw cancelled.error;
}

/**
 * A condition for a transaction: the checkout's capture, if any, took nothing of the order (it
 * leaves the order out, or the provider refused it).
 */
export function captureExcludes(tableName: string, checkoutId: string, orderId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: checkoutKey(checkoutId),
      ConditionExpression:
        'attribute_not_exists(#capture) OR NOT contains(#capture.orderIds, :orderId) OR #capture.#status = :refused',
      ExpressionAttributeNames: { '#capture': 'capture', '#status': 'status' },
      ExpressionAttributeValues: { ':orderId': orderId, ':refused': 'refused' },
    },
  };
}

/**
 * What the provider did with the requested capture, unless an outcome is recorded already;
 * answers the outcome recorded.
 */
export async function settleCheckoutCapture(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkoutId: string,
  outcome: Pick<CheckoutCapture, 'status' | 'reason'>,
  now: Date,
): Promise<CheckoutCapture> {
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: checkoutKey(checkoutId),
        UpdateExpression: `SET #capture.#status = :status, #capture.settledAt = :now${
          outcome.reason ? ', #capture.reason = :reason' : ''
        }`,
        ConditionExpression: '#capture.#status = :requested',
        ExpressionAttributeNames: { '#capture': 'capture', '#status': 'status' },
        ExpressionAttributeValues: {
          ':requested': 'requested',
          ':status': outcome.status,
          ':now': now.toISOString(),
          ...(outcome.reason ? { ':reason': outcome.reason } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const capture = toCheckout(Attributes ?? {}).capture;
    if (!capture) throw new Error(`checkout ${checkoutId} has no capture`);
    // Counted here, where the capture is recorded once; a call finding it settled counts nothing.
    if (capture.status === 'captured') count(counters.paymentsCaptured);
    return capture;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return recordedCapture(client, tableName, checkoutId);
  }
}

async function recordedCapture(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkoutId: string,
): Promise<CheckoutCapture> {
  const recorded = (await getCheckout(client, tableName, checkoutId))?.capture;
  if (!recorded) throw new Error(`checkout ${checkoutId} has no capture`);
  return recorded;
}
