import Stripe from 'stripe';
import { type StripeSettings, stripeCallPolicy } from './stripe-settings.ts';

/** The Stripe SDK for these settings; network failures are retried by the SDK with the same idempotency key. */
export function stripeClient({ secretKey, apiUrl }: StripeSettings): Stripe {
  const api = apiUrl ? new URL(apiUrl) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: stripeCallPolicy.retries,
    timeout: stripeCallPolicy.timeoutMs,
    ...(api
      ? { host: api.hostname, port: api.port, protocol: api.protocol === 'http:' ? 'http' : 'https' }
      : {}),
  });
}
