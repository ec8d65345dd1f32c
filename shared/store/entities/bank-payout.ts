import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type BankPayout, bankPayoutStatuses } from '../../domain/bank-payout.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { moneySchema } from './value-schemas.ts';

const bankPayoutSchema = deferred(() =>
  z.object({
    sellerId: z.string(),
    payoutId: z.string(),
    stripeAccountId: z.string(),
    amount: moneySchema,
    status: z.enum(bankPayoutStatuses),
    arrivalDate: z.string(),
    createdAt: z.string(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    observedAt: z.string(),
    updatedAt: z.string(),
  }),
) satisfies z.ZodType<BankPayout>;

/** A Stripe payout from the seller's connected account to their bank, as last read from Stripe. */
export const bankPayoutEntity = defineEntity<BankPayout>({
  name: entities.sellerBankPayout,
  version: 1,
  schema: bankPayoutSchema,
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'BANK_PAYOUT#<createdAt>#<payoutId>' }],
});

export const bankPayoutPrefix = 'BANK_PAYOUT#';

export const sellerBankPayoutsPartition = (sellerId: string) => ({ PK: `SELLER#${sellerId}` });

/** The SK sorts a seller's payouts by Stripe's creation time. */
export const bankPayoutKey = (sellerId: string, createdAt: string, payoutId: string) => ({
  ...sellerBankPayoutsPartition(sellerId),
  SK: `${bankPayoutPrefix}${createdAt}#${payoutId}`,
});
