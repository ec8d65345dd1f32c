import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { defineRoute, type RouteSpec } from '#shared/http/route.ts';

import { stripeEventProcessing } from './stripe-event-processing.ts';

/** Stripe's webhook. */
export const paymentRoutes = {
  receiveStripeWebhook: defineRoute({
    method: 'POST',
    path: '/webhooks/stripe',
    handler: 'payments/receive-stripe-webhook',
    summary:
      "Stripe's event deliveries, trusted by their signature instead of a token: stored once, then queued",
    tags: ['payments'],
    uses: {
      table: ['PutItem'],
      stripe: true,
      queue: { name: stripeEventProcessing.queue, actions: ['send'] },
    },
    access: 'public',
    headers: deferred(() =>
      z.object({
        'stripe-signature': z.string().min(1).meta({
          description: "Stripe's HMAC of the raw body and its timestamp, which must be under 5 minutes old.",
        }),
      }),
    ),
    responses: {
      200: {
        description:
          'Stored (or already stored) and queued; an event of the other mode (live or test) than the ' +
          'secret key is acknowledged and dropped',
        body: deferred(() => z.object({ received: z.literal(true) })),
      },
      400: {
        description: 'The signature is missing, does not match the body or is too old; nothing was stored',
      },
    },
  }),
} satisfies Record<string, RouteSpec>;
