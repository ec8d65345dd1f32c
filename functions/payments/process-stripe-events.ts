import { stripeEventStore } from '#shared/app/composition/stores/stripe-event-store.ts';
import { applyStripeEvent } from '#shared/app/payments/stripe-events.ts';
import { assertConfigured } from '#shared/config/function-resources.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { stripeEventProcessor } from '#shared/payments/stripe-event-processor.ts';
import { stripeEventProcessing } from '../routes/stripe-event-processing.ts';

assertConfigured(stripeEventProcessing.handler, stripeEventProcessing.uses);

/** Applies the verified Stripe events the webhook route queued, each once whatever the copies. */
export const handler = eventEntryPoint(
  stripeEventProcessor({ events: stripeEventStore, apply: applyStripeEvent }),
);
