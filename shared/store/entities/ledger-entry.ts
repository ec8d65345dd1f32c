import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { Account } from '../../domain/ledger/accounts.ts';
import { type LedgerScope, type TransactionKind, transactionKinds } from '../../domain/ledger/transaction.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { ledgerPartition } from './ledger-transaction.ts';
import { accountSchema, ledgerScopeSchema } from './value-schemas.ts';

/** What one ledger transaction did to one account, as stored. */
export interface StoredLedgerEntry {
  readonly transactionId: string;
  readonly kind: TransactionKind;
  readonly scope: LedgerScope;
  readonly account: Account;
  readonly currency: string;
  readonly amount: number;
  readonly postedAt: string;
}

const ledgerEntrySchema = deferred(() =>
  z.object({
    transactionId: z.string(),
    kind: z.enum(transactionKinds),
    scope: ledgerScopeSchema,
    account: accountSchema,
    currency: z.string(),
    amount: z.number(),
    postedAt: z.string(),
  }),
) satisfies z.ZodType<StoredLedgerEntry>;

/**
 * One entry of a user's account, in its owner's partition (`user:<userId>`) and in GSI1 by
 * currency. The platform's entries are kept in their ledger transaction's item only; items of
 * owner `platform` were written before that and are left as they are.
 */
export const ledgerEntryEntity = defineEntity<StoredLedgerEntry>({
  name: entities.ledgerEntry,
  version: 1,
  schema: ledgerEntrySchema,
  keys: [
    {
      PK: 'LEDGER#<owner>',
      SK: 'ENTRY#<postedAt>#<transactionId>#<accountType>',
      GSI1PK: 'LEDGER#<owner>#<currency>',
      GSI1SK: 'ENTRY#<postedAt>#<transactionId>#<accountType>',
    },
  ],
});

export const ledgerEntryPrefix = 'ENTRY#';

export const ledgerEntryKey = (
  owner: string,
  postedAt: string,
  transactionId: string,
  accountType: string,
) => ({
  ...ledgerPartition(owner),
  SK: `${ledgerEntryPrefix}${postedAt}#${transactionId}#${accountType}`,
});

/** An owner's entries in one currency, in GSI1 sorted as in its partition. */
export const ledgerEntriesInCurrency = (owner: string, currency: string) => ({
  GSI1PK: `LEDGER#${owner}#${currency}`,
});
