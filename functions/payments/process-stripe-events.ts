import { assertConfigured } from '#shared/config/function-resources.ts';
import { stripeEventProcessor } from '#shared/payments/stripe-event-processor.ts';
import { stripeEventProcessing } from '../routes/stripe-event-processing.ts';
import { stripeEventStore } from '../stores/stripe-event-store.ts';
import { applyStripeEvent } from './stripe-events.ts';

assertConfigured(stripeEventProcessing.handler, stripeEventProcessing.uses);

/** Applies the verified Stripe events the webhook route queued, each once whatever the copies. */
export const handler = stripeEventProcessor({ events: stripeEventStore, apply: applyStripeEvent });
