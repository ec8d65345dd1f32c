import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { Account } from '../../domain/ledger/accounts.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { ledgerPartition } from './ledger-transaction.ts';
import { accountSchema } from './value-schemas.ts';

/** An account's balance in a currency (a platform account's: one shard of it), kept by `ADD`. */
export interface StoredBalance {
  readonly account: Account;
  readonly currency: string;
  readonly balance: number;
}

export const ledgerBalanceEntity = defineEntity<StoredBalance>({
  name: entities.ledgerBalance,
  version: 1,
  schema: deferred(() => z.object({ account: accountSchema, currency: z.string(), balance: z.number() })),
  keys: [
    // A user's available balance also carries the payable index (sparse: no other balance does).
    {
      PK: 'LEDGER#user:<userId>',
      SK: 'BALANCE#<currency>#available',
      GSI1PK: 'PAYABLE#<currency>#<shard>',
      GSI1SK: 'user:<userId>',
    },
    { PK: 'LEDGER#user:<userId>', SK: 'BALANCE#<currency>#<accountType>' },
    { PK: 'LEDGER#platform', SK: 'BALANCE#<currency>#<accountType>#<shard>' },
  ],
});

export const ledgerBalancePrefix = 'BALANCE#';

export const ledgerBalanceKey = (owner: string, currency: string, accountType: string, shard?: number) => ({
  ...ledgerPartition(owner),
  SK: `${ledgerBalancePrefix}${currency}#${accountType}${shard === undefined ? '' : `#${shard}`}`,
});

/**
 * The payable index: a user's available balance item in a currency, for a payout run to find
 * everyone it may pay with one Query per shard.
 */
export const payablePartition = (currency: string, shard: number) => ({
  GSI1PK: `PAYABLE#${currency}#${shard}`,
});

export const payableIndexKeys = (currency: string, shard: number, owner: string) => ({
  ...payablePartition(currency, shard),
  GSI1SK: owner,
});
