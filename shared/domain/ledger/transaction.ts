import type { Account } from './accounts.ts';

export const transactionKinds = [
  'capture',
  'release',
  'refund',
  'dispute-opened',
  'dispute-won',
  'dispute-lost',
  'transfer',
  'transfer-reversal',
] as const;
export type TransactionKind = (typeof transactionKinds)[number];

/** The business object whose transactions are read together to decide the next one. */
export type LedgerScope = `order:${string}` | `transfer:${string}`;
export const orderScope = (orderId: string): LedgerScope => `order:${orderId}`;
export const transferScope = (transferId: string): LedgerScope => `transfer:${transferId}`;

export interface LedgerEntry {
  readonly account: Account;
  /** Minor units of the transaction's currency: positive debits, negative credits. */
  readonly amount: number;
  /**
   * The account must hold at least what this entry takes out (a transfer pays only what is
   * available): posting it is refused otherwise, in memory and by a condition in DynamoDB.
   */
  readonly mustBeCovered?: true;
}

/** What a refund or a lost dispute gave back to the buyer of one order line (its index). */
export interface ReturnedLine {
  readonly line: number;
  readonly amount: number;
  /** The part of `amount` that was the platform's commission. */
  readonly commission: number;
}

/**
 * One business event's money movement: balanced (its entries sum to zero, in its one currency),
 * never changed once posted. Its id derives from domain ids, so posting it again changes nothing.
 */
export interface LedgerTransaction {
  /** `<kind>:<domain ids>`, e.g. `refund:<orderId>:<refundId>`. */
  readonly id: string;
  readonly kind: TransactionKind;
  readonly scope: LedgerScope;
  readonly currency: string;
  /** At most one per account. */
  readonly entries: readonly LedgerEntry[];
  readonly returnedLines?: readonly ReturnedLine[];
  readonly disputeId?: string;
}

export const transactionId = (kind: TransactionKind, ...domainIds: readonly string[]) =>
  [kind, ...domainIds].join(':');

export const sumOfAmounts = (entries: readonly { readonly amount: number }[]) =>
  entries.reduce((sum, entry) => sum + entry.amount, 0);

/** One entry per account (amounts of the same account added up), none of zero. */
function mergeByAccount(entries: readonly LedgerEntry[]): LedgerEntry[] {
  const merged = new Map<Account, LedgerEntry>();
  for (const entry of entries) {
    const earlier = merged.get(entry.account);
    merged.set(
      entry.account,
      earlier ? { ...earlier, ...entry, amount: earlier.amount + entry.amount } : entry,
    );
  }
  return [...merged.values()].filter((entry) => entry.amount !== 0);
}

/**
 * A transaction of `entries`, merged per account. An unbalanced transaction or a fractional
 * amount is a bug in a posting rule or an inconsistent order, never a business refusal: it throws.
 */
export function ledgerTransaction(
  fields: Omit<LedgerTransaction, 'entries'>,
  entries: readonly LedgerEntry[],
): LedgerTransaction {
  const fractional = entries.find((entry) => !Number.isSafeInteger(entry.amount));
  if (fractional) throw new Error(`${fields.id}: ${fractional.account} gets ${fractional.amount}`);
  const merged = mergeByAccount(entries);
  if (sumOfAmounts(merged) !== 0) {
    throw new Error(`${fields.id} does not balance: its entries sum to ${sumOfAmounts(merged)}`);
  }
  return { ...fields, entries: merged };
}
