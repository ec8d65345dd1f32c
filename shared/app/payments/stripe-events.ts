import type Stripe from 'stripe';
import { logger } from '#shared/logger.ts';
import { applyBankPayoutEvent } from './bank-payouts.ts';
import { applyChargebackEvent } from './chargebacks.ts';
import { applyAccountUpdated } from './connected-accounts.ts';
import { applyPaymentIntentEvent } from './payment-intents.ts';
import { applyRefundEvent } from './refund-events.ts';

/**
 * Applies one verified Stripe event. Every applier re-reads the object the event is about from
 * Stripe and applies its current state idempotently, so duplicates and events arriving out of
 * order have the effect of one delivery in order.
 */
type EventApplier<T extends Stripe.Event.Type = Stripe.Event.Type> = (
  event: Extract<Stripe.Event, { type: T }>,
) => Promise<void>;

/** Each applier receives the events of the type it is registered under. */
const appliers: { [T in Stripe.Event.Type]?: EventApplier<T> } = {
  'account.updated': applyAccountUpdated,
  'payout.paid': applyBankPayoutEvent,
  'payout.failed': applyBankPayoutEvent,
  'payment_intent.amount_capturable_updated': applyPaymentIntentEvent,
  'payment_intent.requires_action': applyPaymentIntentEvent,
  'payment_intent.payment_failed': applyPaymentIntentEvent,
  'payment_intent.succeeded': applyPaymentIntentEvent,
  'payment_intent.canceled': applyPaymentIntentEvent,
  'charge.dispute.created': applyChargebackEvent,
  'charge.dispute.updated': applyChargebackEvent,
  'charge.dispute.closed': applyChargebackEvent,
  'refund.created': applyRefundEvent,
};

export async function applyStripeEvent(event: Stripe.Event): Promise<void> {
  const apply = appliers[event.type] as EventApplier | undefined;
  if (!apply) {
    logger.info('stripe event ignored', { eventId: event.id, type: event.type });
    return;
  }
  await apply(event);
}
