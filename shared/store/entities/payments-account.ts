import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { SellerPaymentsAccount } from '../../domain/payments-account.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const paymentsAccountSchema = deferred(() =>
  z.object({
    sellerId: z.string(),
    stripeAccountId: z.string(),
    chargesEnabled: z.boolean(),
    payoutsEnabled: z.boolean(),
    detailsSubmitted: z.boolean(),
    requirementsDue: z.array(z.string()),
    disabledReason: z.string().nullable(),
    observedAt: z.string(),
    updatedAt: z.string(),
  }),
) satisfies z.ZodType<SellerPaymentsAccount>;

/** A seller's Stripe connected account and its status, as last read from Stripe. */
export const paymentsAccountEntity = defineEntity<SellerPaymentsAccount>({
  name: entities.sellerPaymentsAccount,
  version: 1,
  schema: paymentsAccountSchema,
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'PAYMENTS_ACCOUNT' }],
});

export const paymentsAccountKey = (sellerId: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: 'PAYMENTS_ACCOUNT',
});
