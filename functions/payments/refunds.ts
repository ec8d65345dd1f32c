import type Stripe from 'stripe';
import { carryOutRefund } from '../orders/refunds.ts';
import { payments } from '../payments.ts';
import { orderStore } from '../stores.ts';

type RefundEvent = Extract<Stripe.Event, { data: { object: Stripe.Refund } }>;

/**
 * Stripe made a refund. One the platform asked for but never got to record (the request died
 * between Stripe's answer and the database) is recorded now, with its ledger transaction.
 */
export async function applyRefundEvent(event: RefundEvent): Promise<void> {
  const refundKey = await payments.refundKeyOf(event.data.object.id);
  const [orderId = '', refundId = ''] = refundKey?.split(':') ?? [];
  const order = orderId ? await orderStore.get(orderId) : undefined;
  const refund = order?.refunds?.[refundId];
  if (order && refund?.status === 'pending') await carryOutRefund(order, refund);
}
