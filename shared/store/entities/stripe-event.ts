import { gzipSync } from 'node:zlib';
import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { StoredStripeEvent } from '../stripe-event-store.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const stripeEventSchema = deferred(() =>
  z.object({
    eventId: z.string(),
    type: z.string(),
    payload: z.instanceof(Uint8Array),
    receivedAt: z.string(),
    expiresAt: z.number(),
    attempts: z.number(),
    processedAt: z.string().optional(),
    leaseUntil: z.number().optional(),
    leaseHolder: z.string().optional(),
  }),
) satisfies z.ZodType<StoredStripeEvent>;

/** A verified Stripe event, stored once per event id whatever the number of deliveries. */
export const stripeEventEntity = defineEntity<StoredStripeEvent>({
  name: entities.stripeEvent,
  version: 2,
  schema: stripeEventSchema,
  upgrades: {
    // Version 1 kept the event's JSON as it came.
    1: (attributes) => ({ ...attributes, payload: gzipSync(String(attributes.payload)) }),
  },
  keys: [{ PK: 'STRIPE_EVENT#<eventId>', SK: 'STRIPE_EVENT' }],
});

export const stripeEventKey = (eventId: string) => ({ PK: `STRIPE_EVENT#${eventId}`, SK: 'STRIPE_EVENT' });
