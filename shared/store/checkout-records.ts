import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentState, PaymentStatus } from '../payments/port.ts';
import { checkoutEntity, checkoutKey } from './entities/checkout.ts';

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
