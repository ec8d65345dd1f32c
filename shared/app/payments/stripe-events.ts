import type Stripe from 'stripe';
import { logger } from '#shared/logger.ts';
import { type HandledStripeEventType, isHandledStripeEvent } from '#shared/payments/stripe-event-types.ts';
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

/** Each applier receives the events of the type it is registered under; every handled type has one. */
const appliers: { [T in HandledStripeEventType]: EventApplier<T> } = {
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
  // Only handled types are queued; one of another type was queued by an older version.
  if (!isHandledStripeEvent(event.type)) {
    logger.info('stripe event ignored', { eventId: event.id, type: event.type });
    return;
  }
  await (appliers[event.type] as EventApplier)(event);
}
