import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';

/**
 * A Stripe event of a type no applier handles, so it is processed without touching anything else;
 * tests of appliers use the payment simulator's real events instead.
 */
export function unhandledStripeEvent(): Stripe.Event {
  return {
    id: `evt_test_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'customer.created',
    // Non-ASCII text: the signature covers the UTF-8 bytes, which must reach the handler unchanged.
    data: { object: { id: `cus_${randomUUID().slice(0, 8)}`, object: 'customer', name: 'Zoë Ünal ☕' } },
  } as unknown as Stripe.Event;
}
