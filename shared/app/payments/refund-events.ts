import type Stripe from 'stripe';
import { refundOf } from '#shared/domain/order-refunds.ts';
import { logger } from '#shared/logger.ts';
import { payments } from '../composition/payments.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import { carryOutRefund, recordRefundMade, refundOfKey } from '../orders/refunds.ts';
import { recoverRefundFromPayouts } from '../payouts/transfer-reversals.ts';

type RefundEvent = Extract<Stripe.Event, { data: { object: Stripe.Refund } }>;

/**
 * Stripe made a refund. One the platform asked for but never got to record (the request died
 * between Stripe's answer and the database) is recorded now, with its ledger transaction, without
 * asking Stripe again; one that failed meanwhile is recorded as failed.
 */
export async function applyRefundEvent(event: RefundEvent): Promise<void> {
  const made = await payments.refundMade(event.data.object.id);
  const key = made.refundKey ? refundOfKey(made.refundKey) : undefined;
  if (!key) return;
  const order = await orderStore.get(key.orderId);
  const refund = order && refundOf(order, key.refundId);
  if (!order || !refund) return;
  // Recorded already: what the payees had been paid out of it may still have to come back.
  if (refund.status === 'succeeded') return recoverRefundFromPayouts(order, refund.refundId);
  if (refund.status !== 'pending') return;
  if (made.failed) {
    // Asking again finds the failed refund by its key and records the refusal.
    await carryOutRefund(order, refund);
  } else if (refund.amount !== made.amount) {
    logger.error('a refund Stripe made differs from the one recorded', { ...key, made });
  } else {
    await recordRefundMade(order.id, refund.refundId);
  }
}
