import { sumOf } from '../money.ts';
import type { RefundLine } from '../order-refunds.ts';
import { allocate } from './allocation.ts';

/**
 * `amount` given back over the order's lines in proportion to what each still holds (`linesLeft`,
 * as `linesLeftToRefund` reads them from the ledger), largest remainder first, earlier lines first
 * on equal remainders: the parts add up to `amount` exactly and no line gives more than it holds.
 * Lines whose part is nothing are left out.
 */
export function spreadRefund(amount: number, linesLeft: readonly RefundLine[]): RefundLine[] {
  const left = sumOf(linesLeft.map((line) => line.amount));
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > left) {
    throw new RangeError(`cannot spread ${amount} over lines holding ${left}`);
  }
  const parts = allocate(
    amount,
    linesLeft.map((line) => line.amount),
  );
  return linesLeft
    .map((held, index) => ({ line: held.line, amount: parts[index] ?? 0 }))
    .filter((line) => line.amount > 0);
}
