import { sumOf } from '../money.ts';
import type { OrderLine, Payee } from '../order.ts';
import { type Account, normalBalance, type UserAccountType, userAccount } from './accounts.ts';
import { type LedgerTransaction, type ReturnedLine, transactionId } from './transaction.ts';

/** What the ledger needs of an order: its money, as checkout fixed it. */
export interface OrderMoney {
  readonly id: string;
  readonly currency: string;
  readonly total: number;
  readonly commission: number;
  readonly lines: readonly Pick<OrderLine, 'amount' | 'commission'>[];
  readonly payees: readonly Pick<Payee, 'userId' | 'amount'>[];
}

/** What an order line still holds of the buyer's money; the buyer may get back at most the sum. */
export interface LineHolding {
  /** The platform's commission, not yet given back. */
  readonly commission: number;
  /** The payees' proceeds, not yet given back. */
  readonly proceeds: number;
}

/** A payee's part of the order: unfrozen (in pending, or in available once released) and frozen. */
export interface PayeeHolding {
  readonly userId: string;
  readonly held: number;
  readonly frozen: number;
}

/** An order's money as its ledger transactions left it: what the posting rules decide from. */
export interface OrderLedger {
  readonly posted: ReadonlyMap<string, LedgerTransaction>;
  readonly captured: boolean;
  readonly released: boolean;
  /** Per order line, by index. */
  readonly lines: readonly LineHolding[];
  /** One per payee user, in the order's payee order (the seller first). */
  readonly payees: readonly PayeeHolding[];
  readonly openDisputeId?: string;
}

/** The normal balance the transactions leave on the user's accounts of the given types. */
function heldBy(
  transactions: readonly LedgerTransaction[],
  userId: string,
  types: readonly UserAccountType[],
) {
  const accounts = new Set<Account>(types.map((type) => userAccount(userId, type)));
  return sumOf(
    transactions.flatMap(({ entries }) =>
      entries
        .filter((entry) => accounts.has(entry.account))
        .map((entry) => normalBalance(entry.account, entry.amount)),
    ),
  );
}

function lineHolding(line: OrderMoney['lines'][number], returned: readonly ReturnedLine[]): LineHolding {
  const amount = sumOf(returned.map((part) => part.amount));
  const commission = sumOf(returned.map((part) => part.commission));
  return {
    commission: line.commission - commission,
    proceeds: line.amount - line.commission - (amount - commission),
  };
}

/** Folds the order's posted transactions (in any order) into what it holds and where. */
export function orderLedger(order: OrderMoney, transactions: readonly LedgerTransaction[]): OrderLedger {
  const posted = new Map(transactions.map((transaction) => [transaction.id, transaction]));
  const captured = posted.has(transactionId('capture', order.id));
  const returned = transactions.flatMap((transaction) => transaction.returnedLines ?? []);
  const closed = new Set(
    transactions
      .filter(({ kind }) => kind === 'dispute-won' || kind === 'dispute-lost')
      .map(({ disputeId }) => disputeId),
  );
  const openDisputeId = transactions.find(
    ({ kind, disputeId }) => kind === 'dispute-opened' && !closed.has(disputeId),
  )?.disputeId;
  return {
    posted,
    captured,
    released: posted.has(transactionId('release', order.id)),
    lines: order.lines.map((line, index) =>
      captured
        ? lineHolding(
            line,
            returned.filter((part) => part.line === index),
          )
        : { commission: 0, proceeds: 0 },
    ),
    payees: [...new Set(order.payees.map((payee) => payee.userId))].map((userId) => ({
      userId,
      held: heldBy(transactions, userId, ['pending', 'available']),
      frozen: heldBy(transactions, userId, ['frozen']),
    })),
    ...(openDisputeId === undefined ? {} : { openDisputeId }),
  };
}
