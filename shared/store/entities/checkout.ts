import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { paymentStates } from '../../payments/port.ts';
import type { Checkout } from '../checkout-records.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const captureSchema = deferred(() =>
  z.object({
    orderIds: z.array(z.string()),
    amount: z.number(),
    status: z.enum(['requested', 'captured', 'cancelled', 'refused']),
    requestedAt: z.string(),
    settledAt: z.string().optional(),
    reason: z.string().optional(),
  }),
);

// `paymentProgress` (how far the payment has come, for the write's condition) is not decoded: it
// stays in the table.
const checkoutSchema = deferred(() =>
  z.object({
    id: z.string(),
    buyerId: z.string(),
    currency: z.string(),
    total: z.number(),
    orderIds: z.array(z.string()),
    payment: z
      .object({
        paymentId: z.string(),
        checkoutId: z.string().optional(),
        status: z.enum(paymentStates),
        failure: z.string().optional(),
        captureBefore: z.string().optional(),
      })
      .optional(),
    authorisedAt: z.string().optional(),
    capture: captureSchema.optional(),
    holdsUnpaidSlot: z.literal(true).optional(),
    createdAt: z.string(),
  }),
) satisfies z.ZodType<Checkout>;

export const checkoutEntity = defineEntity<Checkout>({
  name: entities.checkout,
  version: 1,
  schema: checkoutSchema,
  keys: [{ PK: 'CHECKOUT#<checkoutId>', SK: 'CHECKOUT' }],
});

export const checkoutKey = (checkoutId: string) => ({ PK: `CHECKOUT#${checkoutId}`, SK: 'CHECKOUT' });
