import { refundOrder } from '#shared/domain/ledger/order-postings.ts';
import type { Order } from '#shared/domain/order.ts';
import {
  type OrderRefund,
  pendingRefundOf,
  recordRefund,
  recordRefundFailure,
  refundOf,
  reserveRefund,
} from '#shared/domain/order-refunds.ts';
import { count, counters } from '#shared/observability/metrics.ts';
import { PaymentRejected } from '#shared/payments/port.ts';
import type { TransactItem } from '#shared/store/conditional.ts';
import { IdempotencyKeyTaken } from '#shared/store/idempotency-records.ts';
import { payments } from '../composition/payments.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import { recoverRefundFromPayouts } from '../payouts/transfer-reversals.ts';
import { changeWithLedger } from './order-ledger.ts';

/**
 * Records the refund as pending, after checking against the ledger that the order still holds it,
 * with the claim of the Idempotency-Key that asked for it if one did. The refund's id comes from that
 * key, so finding it on the order means a concurrent request with the key won the claim.
 */
export async function reserve(
  orderId: string,
  refund: OrderRefund,
  idempotencyClaim?: TransactItem,
): Promise<void> {
  await changeWithLedger(
    orderId,
    (order, ledger) => {
      if (idempotencyClaim && refundOf(order, refund.refundId)) throw new IdempotencyKeyTaken();
      refundOrder(order, ledger, refund);
      return undefined;
    },
    (order) => reserveRefund(order, refund),
    idempotencyClaim ? { idempotencyClaim } : {},
  );
}

/**
 * The provider made the pending refund: recorded with its ledger transaction, once. What the payees
 * had been paid out of it already is taken back from their transfers.
 */
export async function recordRefundMade(orderId: string, refundId: string): Promise<void> {
  const pending = (order: Order) => refundOf(order, refundId)?.status === 'pending';
  const posted = await changeWithLedger(
    orderId,
    (order, ledger) => {
      const refund = refundOf(order, refundId);
      return refund && pending(order) ? refundOrder(order, ledger, refund) : undefined;
    },
    (order) => (pending(order) ? recordRefund(order, refundId, new Date()) : undefined),
  );
  if (posted) count(counters.refundsPosted);
  const order = await orderStore.get(orderId);
  if (order) await recoverRefundFromPayouts(order, refundId);
}

/**
 * An order has one pending refund at a time: one left pending by a request that died is made (or
 * found made) now, so the next refund can go ahead. Answers the order as it stands after.
 */
export async function finishRefundInProgress(order: Order): Promise<Order> {
  const pending = pendingRefundOf(order);
  if (!pending) return order;
  await carryOutRefund(order, pending);
  return (await orderStore.get(order.id)) ?? order;
}

/** The key the provider knows a refund of an order by; refund ids never hold a colon. */
const refundKeyOf = (orderId: string, refundId: string) => `${orderId}:${refundId}`;

export function refundOfKey(refundKey: string): { orderId: string; refundId: string } | undefined {
  const [orderId, refundId, ...rest] = refundKey.split(':');
  return orderId && refundId && rest.length === 0 ? { orderId, refundId } : undefined;
}

/**
 * Makes a pending refund at the provider (once per order and refund) and records it with its
 * ledger transaction. The provider refusing fails the refund, which then holds no money.
 */
export async function carryOutRefund(order: Order, refund: OrderRefund): Promise<OrderRefund> {
  const checkout = await orderStore.getCheckout(order.checkoutId);
  if (!checkout?.payment) throw new Error(`order ${order.id} has no payment to refund`);
  try {
    await payments.refund({
      checkoutId: order.checkoutId,
      paymentId: checkout.payment.paymentId,
      refundKey: refundKeyOf(order.id, refund.refundId),
      amount: refund.amount,
    });
  } catch (error) {
    if (!(error instanceof PaymentRejected)) throw error;
    await orderStore.update(order.id, (current) =>
      refundOf(current, refund.refundId)?.status === 'pending'
        ? recordRefundFailure(current, refund.refundId, error.message, new Date())
        : undefined,
    );
    return { ...refund, status: 'failed', failure: error.message };
  }
  await recordRefundMade(order.id, refund.refundId);
  const current = await orderStore.get(order.id);
  const settled = current && refundOf(current, refund.refundId);
  if (!settled) throw new Error(`refund ${refund.refundId} of order ${order.id} vanished`);
  return settled;
}
