import type Stripe from 'stripe';
import { logger } from '#shared/logger.ts';
import { recordRefundMade, refundOfKey } from '../orders/refunds.ts';
import { payments } from '../payments.ts';
import { orderStore } from '../stores.ts';

type RefundEvent = Extract<Stripe.Event, { data: { object: Stripe.Refund } }>;

/**
 * Stripe made a refund. One the platform asked for but never got to record (the request died
 * between Stripe's answer and the database) is recorded now, with its ledger transaction, without
 * asking Stripe again.
 */
export async function applyRefundEvent(event: RefundEvent): Promise<void> {
  const made = await payments.refundMade(event.data.object.id);
  const key = made.refundKey ? refundOfKey(made.refundKey) : undefined;
  if (!key) return;
  const { orderId, refundId } = key;
  const refund = (await orderStore.get(orderId))?.refunds?.[refundId];
  if (refund?.status !== 'pending') return;
  if (refund.amount !== made.amount) {
    logger.error('a refund Stripe made differs from the one recorded', { orderId, refundId, made });
    return;
  }
  await recordRefundMade(orderId, refundId);
}
