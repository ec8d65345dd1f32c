import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { linesUnavailable } from '../domain/checkout.ts';
import { DomainError } from '../domain/errors.ts';
import type { Order, OrderEvent } from '../domain/order.ts';
import type { Checkout } from './checkout-records.ts';
import type { TransactItem } from './conditional.ts';
import { checkoutEntity, checkoutKey } from './entities/checkout.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { listingEntity } from './entities/listing.ts';
import { IdempotencyKeyTaken } from './idempotency-records.ts';
import { type StockReservation, stockReservation, whyUnavailable } from './listing-stock.ts';
import { addOrderWrites, type OrderWrite, withSeq } from './order-writes.ts';
import { maxTransactionItems, TransactionPlan } from './transaction.ts';
import { tooManyUnpaidCheckouts, unpaidCheckoutClaim } from './unpaid-checkouts.ts';

export interface CheckoutPlacement {
  readonly checkout: Checkout;
  readonly orders: readonly Order[];
  readonly placedEvents: readonly Omit<OrderEvent, 'seq'>[];
  readonly reservations: readonly StockReservation[];
  /** The Idempotency-Key's claim for this checkout. */
  readonly idempotencyClaim: TransactItem;
  readonly unpaidLimit: number;
  readonly now: Date;
}

/**
 * Records the checkout and its orders, reserving every line's stock and taking one of the buyer's
 * `unpaidLimit` slots for checkouts waiting for their payment, all in one transaction: either
 * everything is written or nothing is.
 */
export async function placeCheckout(
  client: DynamoDBDocumentClient,
  tableName: string,
  { checkout, orders, placedEvents, reservations, idempotencyClaim, unpaidLimit, now }: CheckoutPlacement,
): Promise<void> {
  const timestamp = now.toISOString();
  const plan = new TransactionPlan<'idempotencyClaim' | 'checkout' | 'stock' | OrderWrite | 'unpaidSlot'>()
    .add('idempotencyClaim', idempotencyClaim)
    .add('checkout', {
      Put: {
        TableName: tableName,
        Item: checkoutEntity.item(checkoutKey(checkout.id), { ...checkout, holdsUnpaidSlot: true }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    })
    .add('stock', ...reservations.map((reservation) => stockReservation(tableName, reservation, timestamp)));
  for (const [index, order] of orders.entries()) {
    const event = placedEvents[index];
    addOrderWrites(plan, tableName, undefined, order, event ? withSeq(event, 1) : undefined);
  }
  plan.add('unpaidSlot', unpaidCheckoutClaim(tableName, checkout.buyerId, unpaidLimit));
  if (plan.size > maxTransactionItems) {
    throw new DomainError(
      'unprocessable',
      'cart_too_large',
      'This cart spans too many sellers to check out at once; split it into smaller checkouts.',
      [{ path: ['lines'], message: 'too many sellers and lines for one checkout' }],
    );
  }
  const cancelled = await plan.write(client);
  if (!cancelled) return;
  if (cancelled.has('idempotencyClaim')) throw new IdempotencyKeyTaken();
  const unavailable = cancelled.failedAt('stock').flatMap(({ position, current }) => {
    const reservation = reservations[position];
    return reservation
      ? [
          {
            path: ['lines', position],
            message: whyUnavailable(reservation, decodeIfPresent(listingEntity, current)),
          },
        ]
      : [];
  });
  if (unavailable.length > 0) throw linesUnavailable(unavailable);
  if (cancelled.has('unpaidSlot')) throw tooManyUnpaidCheckouts(unpaidLimit);
  throw cancelled.unexplained();
}
