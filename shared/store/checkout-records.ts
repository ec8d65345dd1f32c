import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentState, PaymentStatus } from '../payments/port.ts';
import { checkoutEntity, checkoutKey } from './entities/checkout.ts';
import { orderKey } from './entities/order.ts';
import { TransactionPlan } from './transaction.ts';
import { unpaidSlotRelease } from './unpaid-checkouts.ts';

export interface Checkout {
  readonly id: string;
  readonly buyerId: string;
  readonly currency: string;
  readonly total: number;
  readonly orderIds: readonly string[];
  readonly payment?: PaymentState;
  /** When the provider first reported the payment authorised. */
  readonly authorisedAt?: string;
  readonly capture?: CheckoutCapture;
  /** Present until the checkout gives its buyer's unpaid-checkout slot back (see unpaid-checkouts.ts). */
  readonly holdsUnpaidSlot?: true;
  readonly createdAt: string;
}

/**
 * The checkout's one capture: which orders it takes and how much, recorded before the provider is
 * asked so that every retry asks for exactly the same. No orders and nothing to take: the
 * authorisation is cancelled instead.
 */
export interface CheckoutCapture {
  readonly orderIds: readonly string[];
  readonly amount: number;
  readonly status: 'requested' | 'captured' | 'cancelled' | 'refused';
  readonly requestedAt: string;
  readonly settledAt?: string;
  /** Why the provider refused. */
  readonly reason?: string;
}

/**
 * How far a payment has come: a report of an earlier stage, arriving late, never overwrites a
 * later one. Equal stages may alternate (a failed attempt, another payment method).
 */
const paymentProgress: Record<PaymentStatus, number> = {
  'requires-payment-method': 0,
  'requires-action': 0,
  processing: 1,
  authorised: 2,
  // A late report of a cancellation never undoes a capture.
  cancelled: 3,
  captured: 4,
};

export const toCheckout = (item: Record<string, unknown>) => checkoutEntity.decode(item);

export async function getCheckout(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkoutId: string,
): Promise<Checkout | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: checkoutKey(checkoutId), ConsistentRead: true }),
  );
  return Item ? toCheckout(Item) : undefined;
}

/**
 * Records the checkout's payment as the provider reported it, unless a later stage is recorded
 * already (or another payment: the first one stands), and when it was first authorised. The
 * client secret is for the buyer's client only and is not kept. Answers the checkout after the write.
 */
export async function setCheckoutPayment(
  client: DynamoDBDocumentClient,
  tableName: string,
  checkoutId: string,
  reported: PaymentState,
  now: Date,
): Promise<Checkout> {
  const { clientSecret: _secret, ...payment } = reported;
  const authorised = payment.status === 'authorised';
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: checkoutKey(checkoutId),
        UpdateExpression: `SET payment = :payment, paymentProgress = :progress${
          authorised ? ', authorisedAt = if_not_exists(authorisedAt, :now)' : ''
        }`,
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(payment) OR payment.paymentId = :paymentId) AND ' +
          '(attribute_not_exists(paymentProgress) OR paymentProgress <= :progress)',
        ExpressionAttributeValues: {
          ':payment': payment,
          ':paymentId': payment.paymentId,
          ':progress': paymentProgress[payment.status],
          ...(authorised ? { ':now': now.toISOString() } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toCheckout(Attributes ?? {});
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const checkout = await getCheckout(client, tableName, checkoutId);
    if (!checkout) throw new Error(`checkout ${checkoutId} does not exist`);
    return checkout;
  }
}

/**
 * Records the first report of the payment of a checkout just placed (`placed`, as written) and,
 * when `releasesSlot`, gives its buyer's unpaid-checkout slot back in the same transaction.
 * An authorised payment is recorded so only while none of the checkout's orders waits for it yet:
 * each order's wait, stored later, then finds the authorisation on the checkout when it begins, so
 * nothing is left to apply to the orders. Answers whether it was recorded; not when a report was
 * recorded first or an order waits already: record this one with {@link setCheckoutPayment} then,
 * and apply it to the waiting orders.
 */
export async function recordFirstPayment(
  client: DynamoDBDocumentClient,
  tableName: string,
  placed: Checkout,
  reported: PaymentState,
  { releasesSlot, now }: { readonly releasesSlot: boolean; readonly now: Date },
): Promise<boolean> {
  const { clientSecret: _secret, ...payment } = reported;
  const authorised = payment.status === 'authorised';
  const cancelled = await new TransactionPlan<'checkout' | 'counter' | 'ordersNotWaiting'>()
    .add('checkout', {
      Update: {
        TableName: tableName,
        Key: checkoutKey(placed.id),
        UpdateExpression: `SET payment = :payment, paymentProgress = :progress${
          authorised ? ', authorisedAt = :now' : ''
        }${releasesSlot ? ' REMOVE holdsUnpaidSlot' : ''}`,
        ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(payment)${
          releasesSlot ? ' AND holdsUnpaidSlot = :true' : ''
        }`,
        ExpressionAttributeValues: {
          ':payment': payment,
          ':progress': paymentProgress[payment.status],
          ...(authorised ? { ':now': now.toISOString() } : {}),
          ...(releasesSlot ? { ':true': true } : {}),
        },
      },
    })
    .add('counter', ...(releasesSlot ? [unpaidSlotRelease(tableName, placed.buyerId)] : []))
    .add(
      'ordersNotWaiting',
      ...(authorised
        ? placed.orderIds.map((orderId) => ({
            ConditionCheck: {
              TableName: tableName,
              Key: orderKey(orderId),
              ConditionExpression: 'attribute_not_exists(taskToken)',
            },
          }))
        : []),
    )
    .write(client);
  if (!cancelled) return true;
  if (cancelled.has('checkout') || cancelled.has('ordersNotWaiting')) return false;
  throw cancelled.unexplained();
}
