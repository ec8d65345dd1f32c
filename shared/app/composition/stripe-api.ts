import type Stripe from 'stripe';
import { stripeClient } from '#shared/payments/stripe-client.ts';
import type { StripeSettings } from '#shared/payments/stripe-settings.ts';
import { stripeSettings } from './stripe.ts';

let client: { readonly settings: StripeSettings; readonly stripe: Stripe } | undefined;

/**
 * The Stripe SDK, or NotConfigured naming what the secret lacks: one client reused by every
 * invocation until the settings change. Apart from functions/stripe.ts, so that a function reading
 * only the settings (the health check) does not bundle the SDK.
 */
export async function stripeApi(): Promise<Stripe> {
  const settings = await stripeSettings();
  if (client?.settings !== settings) client = { settings, stripe: stripeClient(settings) };
  return client.stripe;
}
