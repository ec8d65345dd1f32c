import { DomainError } from '../errors.ts';
import { type Account, normalBalance } from './accounts.ts';
import type { LedgerTransaction } from './transaction.ts';

/**
 * The ledger's read model: per currency and account, the sum of its entries' amounts (debit
 * positive). Accounts without entries are absent and read as zero.
 */
export type Balances = ReadonlyMap<string, number>;

const balanceKey = (account: Account, currency: string) => `${currency} ${account}`;

export const balanceOf = (balances: Balances, account: Account, currency: string) =>
  balances.get(balanceKey(account, currency)) ?? 0;

export const insufficientBalance = (account: Account, currency: string, held: number, wanted: number) =>
  new DomainError(
    'conflict',
    'insufficient_balance',
    `${account} holds ${held} ${currency}, less than the ${wanted} ${currency} this takes out of it.`,
  );

function addEntries(balances: Balances, transaction: LedgerTransaction): Map<string, number> {
  const next = new Map(balances);
  for (const { account, amount } of transaction.entries) {
    next.set(
      balanceKey(account, transaction.currency),
      balanceOf(balances, account, transaction.currency) + amount,
    );
  }
  return next;
}

/** The balances of every account the transactions touch, summed from their entries. */
export const balancesOf = (transactions: readonly LedgerTransaction[]): Balances =>
  transactions.reduce<Balances>(addEntries, new Map());

/**
 * The balances after `transaction`, or a refusal when an entry that must be covered takes more
 * out of its account than it holds (what the DynamoDB store checks with a condition).
 */
export function postTransaction(balances: Balances, transaction: LedgerTransaction): Balances {
  const { currency } = transaction;
  for (const { account, amount, mustBeCovered } of transaction.entries) {
    const held = normalBalance(account, balanceOf(balances, account, currency));
    const taken = 0 - normalBalance(account, amount);
    if (mustBeCovered && taken > held) throw insufficientBalance(account, currency, held, taken);
  }
  return addEntries(balances, transaction);
}
