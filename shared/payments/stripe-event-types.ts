import type Stripe from 'stripe';

/**
 * The Stripe event types the marketplace acts on: of the platform's account (payments, disputes,
 * refunds) and of connected accounts (onboarding, bank payouts). docs/deploy.md tells operators to
 * send these; any other type is acknowledged and dropped when it arrives, never stored or queued.
 */
export const handledStripeEventTypes = [
  'account.updated',
  'payout.paid',
  'payout.failed',
  'payment_intent.amount_capturable_updated',
  'payment_intent.requires_action',
  'payment_intent.payment_failed',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'refund.created',
] as const satisfies readonly Stripe.Event.Type[];

export type HandledStripeEventType = (typeof handledStripeEventTypes)[number];

export const isHandledStripeEvent = (type: string): type is HandledStripeEventType =>
  (handledStripeEventTypes as readonly string[]).includes(type);
