import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { platformAccountTypes, userAccountTypes } from '../../domain/ledger/accounts.ts';
import type { Money } from '../../domain/money.ts';

// Schemas of values several entities hold, built at their first use as the entities' are.

export const moneySchema = deferred(() =>
  z.object({ amount: z.number(), currency: z.string() }),
) satisfies z.ZodType<Money>;

export const accountSchema = deferred(() =>
  z.union([
    z.templateLiteral(['platform:', z.enum(platformAccountTypes)]),
    z.templateLiteral(['user:', z.string(), ':', z.enum(userAccountTypes)]),
  ]),
);

export const ledgerScopeSchema = deferred(() =>
  z.union([z.templateLiteral(['order:', z.string()]), z.templateLiteral(['transfer:', z.string()])]),
);
