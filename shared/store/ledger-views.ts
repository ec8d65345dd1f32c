import type { PlatformAccountType, UserAccountType } from '../domain/ledger/accounts.ts';
import type { LedgerScope, LedgerTransaction, TransactionKind } from '../domain/ledger/transaction.ts';

// What readers of the ledger get from the ledger store: posted transactions, balances, statements.

/** A ledger transaction as stored, with when it was posted. */
export interface PostedTransaction extends LedgerTransaction {
  readonly postedAt: string;
}

/** A user's balances in one currency, as they read them (positive: money for them). */
export interface UserBalances {
  readonly currency: string;
  readonly pending: number;
  readonly available: number;
  readonly frozen: number;
  readonly paidOut: number;
}

export type PlatformBalances = { readonly currency: string } & Readonly<Record<PlatformAccountType, number>>;

/** One line of a user's statement: what one transaction did to one of their accounts. */
export interface StatementEntry {
  readonly transactionId: string;
  readonly kind: TransactionKind;
  readonly scope: LedgerScope;
  readonly account: UserAccountType;
  readonly currency: string;
  /** As the user reads it: positive adds to the account. */
  readonly amount: number;
  readonly postedAt: string;
}
