import Stripe from 'stripe';
import { currentCorrelationId } from '../observability/correlation.ts';
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

/**
 * The options of a Stripe call that moves money: its idempotency key, and the correlation id of the
 * work making it as the `X-Correlation-Id` header. A header, not metadata: Stripe compares a retried
 * call's parameters with the first call's under the same key, and a retry may carry another id.
 */
export function moneyCallOptions(idempotencyKey: string): Stripe.RequestOptions {
  const correlationId = currentCorrelationId();
  return { idempotencyKey, ...(correlationId ? { headers: { 'X-Correlation-Id': correlationId } } : {}) };
}
