import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { transactionKinds } from '../../domain/ledger/transaction.ts';
import type { PostedTransaction } from '../ledger-views.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { accountSchema, ledgerScopeSchema } from './value-schemas.ts';

const postedTransactionSchema = deferred(() =>
  z.object({
    id: z.string(),
    kind: z.enum(transactionKinds),
    scope: ledgerScopeSchema,
    currency: z.string(),
    entries: z.array(
      z.object({ account: accountSchema, amount: z.number(), mustBeCovered: z.literal(true).optional() }),
    ),
    returnedLines: z
      .array(z.object({ line: z.number(), amount: z.number(), commission: z.number() }))
      .optional(),
    disputeId: z.string().optional(),
    postedAt: z.string(),
  }),
) satisfies z.ZodType<PostedTransaction>;

/** A posted ledger transaction, in the partition of its scope; its id is the idempotency guard. */
export const ledgerTransactionEntity = defineEntity<PostedTransaction>({
  name: entities.ledgerTransaction,
  version: 1,
  schema: postedTransactionSchema,
  keys: [{ PK: 'LEDGER#<scope>', SK: 'TX#<transactionId>' }],
});

/** A ledger partition: an owner's entries and balances, or a scope's transactions. */
export const ledgerPartition = (ownerOrScope: string) => ({ PK: `LEDGER#${ownerOrScope}` });

export const ledgerTransactionPrefix = 'TX#';

/** `scope` is `order:<orderId>` or `transfer:<transferId>`: the transactions read together. */
export const ledgerTransactionKey = (scope: string, transactionId: string) => ({
  ...ledgerPartition(scope),
  SK: `${ledgerTransactionPrefix}${transactionId}`,
});
