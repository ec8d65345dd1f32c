import { z } from 'zod';
import { userAccountTypes } from '#shared/domain/ledger/accounts.ts';
import { transactionKinds } from '#shared/domain/ledger/transaction.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { currencySchema } from '../catalog/schemas.ts';

export const sellerIdSchema = z.string().regex(/^[\w-]{1,128}$/, 'is not a user id');

export const sellerProfileBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(100),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. FR'),
    defaultCurrency: currencySchema,
  })
  .meta({ id: 'SellerProfileInput' });

export const sellerProfileView = z
  .object({
    sellerId: z.string(),
    displayName: z.string(),
    country: z.string(),
    defaultCurrency: z.string(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SellerProfile' });

export const publicSellerView = sellerProfileView
  .pick({ sellerId: true, displayName: true, country: true })
  .meta({ id: 'PublicSellerProfile' });

const amount = z.number().int();

export const balancesView = z
  .object({
    items: z.array(
      z.object({
        currency: currencySchema,
        pending: amount,
        available: amount,
        frozen: amount,
        paidOut: amount,
      }),
    ),
  })
  .meta({
    id: 'Balances',
    description:
      'Per currency: pending (orders not yet completed), available (payable), frozen (under dispute), paid out.',
  });

export const statementQuery = pageQueryOf('statement').extend({ currency: currencySchema.optional() });

export const statementPage = pageOf(
  z.object({
    transactionId: z.string(),
    kind: z.enum(transactionKinds),
    scope: z.string(),
    account: z.enum(userAccountTypes),
    currency: currencySchema,
    amount: amount.meta({ description: 'Positive adds to the account' }),
    postedAt: z.iso.datetime(),
  }),
  'StatementPage',
);
