import type Stripe from 'stripe';
import { logger } from '#shared/logger.ts';

/**
 * Applies one verified Stripe event. Every applier re-reads the object the event is about from
 * Stripe and applies its current state idempotently, so duplicates and events arriving out of
 * order have the effect of one delivery in order.
 */
type EventApplier = (event: Stripe.Event) => Promise<void>;

const appliers: Partial<Record<Stripe.Event.Type, EventApplier>> = {};

export async function applyStripeEvent(event: Stripe.Event): Promise<void> {
  const apply = appliers[event.type];
  if (!apply) {
    logger.info('stripe event ignored', { eventId: event.id, type: event.type });
    return;
  }
  await apply(event);
}
