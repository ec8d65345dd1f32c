import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { stripeClientOf } from './stripe.ts';

/**
 * A Stripe event of a type the marketplace does not act on: the webhook drops it, and the
 * processor, handed one queued by an older version, ignores it.
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

/**
 * An event of a type the marketplace acts on, about a PaymentIntent of no checkout: stored and
 * processed like any other, and its processing finds nothing to change.
 */
export async function harmlessStripeEvent(simulator: PaymentSimulator | undefined): Promise<Stripe.Event> {
  if (!simulator) throw new Error('The local stack runs the payment simulator');
  const intent = await stripeClientOf(simulator).paymentIntents.create({
    amount: 1500,
    currency: 'eur',
    // Non-ASCII text: the signature covers the UTF-8 bytes, which must reach the handler unchanged.
    description: 'Zoë Ünal ☕',
  });
  return {
    ...unhandledStripeEvent(),
    type: 'payment_intent.canceled',
    data: { object: intent },
  } as Stripe.Event;
}
