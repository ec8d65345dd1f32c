import { loadStripeSettings, stripeClient } from '#shared/payments/stripe-settings.ts';

/** Composition root of Stripe: settings read once per container, one client reused by every invocation. */
export const stripeSettings = await loadStripeSettings();
export const stripe = stripeClient(stripeSettings);
