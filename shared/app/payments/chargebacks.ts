import type Stripe from 'stripe';
import { loseDispute, openDispute, winDispute } from '#shared/domain/ledger/order-postings.ts';
import { type ChargebackStatus, type Order, recordChargeback } from '#shared/domain/order.ts';
import { logger } from '#shared/logger.ts';
import { count, counters } from '#shared/observability/metrics.ts';
import { payments } from '../composition/payments.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import { changeWithLedger } from '../orders/order-ledger.ts';

type DisputeEvent = Extract<Stripe.Event, { data: { object: Stripe.Dispute } }>;

const postings = { open: openDispute, won: winDispute, lost: loseDispute } as const;

const hasReached = (order: Order, status: ChargebackStatus) =>
  status === 'open' ? order.chargeback !== undefined : order.chargeback?.status === status;

/**
 * Moves one captured order to the chargeback `status` with its ledger transaction, in one
 * DynamoDB transaction; an order there already, or not captured, is left alone.
 */
async function moveOrder(orderId: string, disputeId: string, status: ChargebackStatus): Promise<boolean> {
  const moves = (order: Order) =>
    (order.paymentStatus === 'captured' || order.paymentStatus === 'refunded') && !hasReached(order, status);
  const moved = await changeWithLedger(
    orderId,
    (order, ledger) => (moves(order) ? postings[status](order, ledger, disputeId) : undefined),
    (order) => (moves(order) ? recordChargeback(order, disputeId, status, new Date()) : undefined),
  );
  return moved !== undefined;
}

/**
 * A chargeback covers the whole payment of a checkout, so it freezes every captured order of it;
 * closing releases (won) or debits (lost) what was frozen. The dispute is read from Stripe, and a
 * closed one is opened first if its opening was never applied: any order of events, one effect.
 */
export async function applyChargebackEvent(event: DisputeEvent): Promise<void> {
  const dispute = await payments.retrieveDispute(event.data.object.id);
  const { checkoutId } = await payments.retrieve(dispute.paymentId);
  const checkout = checkoutId ? await orderStore.getCheckout(checkoutId) : undefined;
  if (!checkout) {
    logger.warn('chargeback on a payment of no checkout', { disputeId: dispute.disputeId });
    return;
  }
  const steps: ChargebackStatus[] = dispute.status === 'open' ? ['open'] : ['open', dispute.status];
  let opened = false;
  for (const orderId of checkout.orderIds) {
    for (const status of steps) {
      const moved = await moveOrder(orderId, dispute.disputeId, status);
      opened ||= moved && status === 'open';
    }
  }
  // One chargeback per checkout, counted by the event that first froze one of its orders.
  if (opened) count(counters.chargebacksOpened);
}
