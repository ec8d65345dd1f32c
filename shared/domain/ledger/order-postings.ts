import { DomainError, describeDetails, type ErrorDetail } from '../errors.ts';
import { sumOf } from '../money.ts';
import { platformAccount, type UserAccountType, userAccount } from './accounts.ts';
import { allocate } from './allocation.ts';
import type { LineHolding, OrderLedger, OrderMoney } from './order-ledger.ts';
import {
  type LedgerEntry,
  type LedgerTransaction,
  ledgerTransaction,
  orderScope,
  type ReturnedLine,
  sumOfAmounts,
  type TransactionKind,
  transactionId,
} from './transaction.ts';

const cash = platformAccount('cash');
const disputes = platformAccount('disputes');
const fees = platformAccount('fees');
const refunds = platformAccount('refunds');

const orderNotCaptured = (orderId: string) =>
  new DomainError('conflict', 'order_not_captured', `Order ${orderId} has no captured payment.`);

/** Where the payees' unfrozen part of the order is. */
const payeeAccountOf = (ledger: OrderLedger): UserAccountType => (ledger.released ? 'available' : 'pending');

/** `amount` of the user's money moved from one of their accounts to another. */
const move = (userId: string, from: UserAccountType, to: UserAccountType, amount: number): LedgerEntry[] => [
  { account: userAccount(userId, from), amount },
  { account: userAccount(userId, to), amount: -amount },
];

const refundable = (line: LineHolding) => line.commission + line.proceeds;

/**
 * Every line that still holds money, with all it holds: a refund of everything left. Without the
 * fee (`refundFee: false`) only the payees' part of each line can be given back.
 */
export function linesLeftToRefund(ledger: OrderLedger, refundFee = true): RefundRequest['lines'] {
  return ledger.lines
    .map((held, line) => ({ line, amount: refundFee ? refundable(held) : held.proceeds }))
    .filter(({ amount }) => amount > 0);
}

/** What is left of the order: captured, minus what refunds and lost disputes gave back. */
const orderRemainder = (ledger: OrderLedger) => sumOf(ledger.lines.map(refundable));

type Movement = Pick<LedgerTransaction, 'returnedLines' | 'disputeId'> & {
  readonly entries: readonly LedgerEntry[];
};

/**
 * The order's transaction of `kind` for `domainIds`: the one posted if there is one, so that a
 * rule computed again after its transaction was posted (a retry) returns exactly that; else the
 * one `decide` describes, or its refusal.
 */
function orderTransaction(
  order: OrderMoney,
  ledger: OrderLedger | undefined,
  kind: TransactionKind,
  domainIds: readonly string[],
  decide: () => Movement,
): LedgerTransaction {
  const id = transactionId(kind, order.id, ...domainIds);
  const posted = ledger?.posted.get(id);
  if (posted) return posted;
  const { entries, ...details } = decide();
  return ledgerTransaction(
    { id, kind, scope: orderScope(order.id), currency: order.currency, ...details },
    entries,
  );
}

/** Checkout computed the order's parts; they must add up, or no money can be posted for it. */
function assertAddsUp(order: OrderMoney): void {
  const lineTotal = sumOf(order.lines.map((line) => line.amount));
  const lineCommission = sumOf(order.lines.map((line) => line.commission));
  const payeeTotal = sumOf(order.payees.map((payee) => payee.amount));
  if (
    lineTotal !== order.total ||
    lineCommission !== order.commission ||
    payeeTotal !== order.total - order.commission
  ) {
    throw new Error(`order ${order.id}: lines, commission and payees do not add up to its total`);
  }
}

/** The buyer's money comes into cash: the commission is the platform's, each payee's share pending. */
export function captureOrder(order: OrderMoney): LedgerTransaction {
  assertAddsUp(order);
  return orderTransaction(order, undefined, 'capture', [], () => ({
    entries: [
      { account: cash, amount: order.total },
      { account: fees, amount: -order.commission },
      ...order.payees.map((payee) => ({
        account: userAccount(payee.userId, 'pending'),
        amount: -payee.amount,
      })),
    ],
  }));
}

/** The order is complete: each payee's pending part becomes available (frozen parts stay frozen). */
export function releaseOrder(order: OrderMoney, ledger: OrderLedger): LedgerTransaction {
  return orderTransaction(order, ledger, 'release', [], () => {
    if (!ledger.captured) throw orderNotCaptured(order.id);
    return {
      entries: ledger.payees.flatMap((payee) => move(payee.userId, 'pending', 'available', payee.held)),
    };
  });
}

export interface RefundRequest {
  readonly refundId: string;
  /** Per order line (by index, each at most once), the amount to give back to the buyer. */
  readonly lines: readonly { readonly line: number; readonly amount: number }[];
  /** Whether the platform gives back its commission on the refunded part (a commission rule decides). */
  readonly refundFee?: boolean;
}

function invalidRefundLines(order: OrderMoney, request: RefundRequest): ErrorDetail[] {
  return request.lines.flatMap(({ line, amount }, index): ErrorDetail[] => {
    const path = ['lines', index];
    if (!Number.isInteger(line) || order.lines[line] === undefined) {
      return [{ path, message: `order ${order.id} has no line ${line}` }];
    }
    if (request.lines.findIndex((other) => other.line === line) !== index) {
      return [{ path, message: `line ${line} is named twice` }];
    }
    return Number.isSafeInteger(amount) && amount > 0
      ? []
      : [{ path, message: 'the amount must be a positive whole number of minor units' }];
  });
}

/** Lines asked for more than they hold (or, without the fee, more than the payees hold of them). */
function excessiveRefundLines(
  ledger: OrderLedger,
  request: RefundRequest,
  refundFee: boolean,
): ErrorDetail[] {
  return request.lines.flatMap(({ line, amount }, index): ErrorDetail[] => {
    const holding = ledger.lines[line] ?? { commission: 0, proceeds: 0 };
    const limit = refundFee ? refundable(holding) : holding.proceeds;
    if (amount <= limit) return [];
    const what = refundFee
      ? 'is left to refund'
      : 'of what is left is the payees’ (the rest is the platform’s fee)';
    return [{ path: ['lines', index], message: `${amount} asked, but only ${limit} ${what}` }];
  });
}

function assertRefundable(
  order: OrderMoney,
  ledger: OrderLedger,
  request: RefundRequest,
  refundFee: boolean,
) {
  if (!ledger.captured) throw orderNotCaptured(order.id);
  if (ledger.openDisputeId !== undefined) {
    throw new DomainError(
      'conflict',
      'order_disputed',
      `Order ${order.id} is under dispute; it cannot be refunded now.`,
    );
  }
  const invalid = invalidRefundLines(order, request);
  if (invalid.length > 0) {
    throw new DomainError(
      'unprocessable',
      'refund_invalid',
      'The refund names lines or amounts it cannot.',
      invalid,
    );
  }
  const excessive = excessiveRefundLines(ledger, request, refundFee);
  if (excessive.length > 0) {
    const reasons = describeDetails(excessive);
    throw new DomainError(
      'conflict',
      'refund_exceeds_captured',
      `A refund gives back at most what was captured and not yet refunded: ${reasons}.`,
      excessive,
    );
  }
}

/**
 * Gives the buyer back `request.lines`, never more of a line than was captured and not yet given
 * back. The amount of a line is split between the platform's commission and the payees' proceeds
 * in proportion to what the line still holds of each (with `refundFee: false` the payees bear it
 * all, up to what they hold of the line, and the platform keeps its commission); the payees' part
 * is split between them in proportion to what each still holds of the order. Both splits are
 * largest remainder (`allocate`), commission before proceeds and payees in the order's payee order
 * on equal remainders, so refunding a line in any number of pieces gives back exactly its
 * commission and proceeds. The payees' part leaves their pending, or their available once the
 * order was released (below zero if it was paid out meanwhile: reverse the transfer first).
 */
export function refundOrder(
  order: OrderMoney,
  ledger: OrderLedger,
  request: RefundRequest,
): LedgerTransaction {
  return orderTransaction(order, ledger, 'refund', [request.refundId], () => {
    const refundFee = request.refundFee ?? true;
    assertRefundable(order, ledger, request, refundFee);
    const returnedLines = request.lines.map(({ line, amount }): ReturnedLine => {
      const holding = ledger.lines[line] ?? { commission: 0, proceeds: 0 };
      const [commission = 0] = refundFee ? allocate(amount, [holding.commission, holding.proceeds]) : [0];
      return { line, amount, commission };
    });
    const amount = sumOfAmounts(returnedLines);
    const commission = sumOf(returnedLines.map((line) => line.commission));
    const payeeParts = allocate(
      amount - commission,
      ledger.payees.map((payee) => payee.held),
    );
    return {
      returnedLines,
      entries: [
        { account: cash, amount: -amount },
        { account: refunds, amount: commission },
        ...ledger.payees.map((payee, index) => ({
          account: userAccount(payee.userId, payeeAccountOf(ledger)),
          amount: payeeParts[index] ?? 0,
        })),
      ],
    };
  });
}

/**
 * The card network withdraws what is left of the order from cash until the dispute is decided,
 * and every payee's part of it is frozen.
 */
export function openDispute(order: OrderMoney, ledger: OrderLedger, disputeId: string): LedgerTransaction {
  return orderTransaction(order, ledger, 'dispute-opened', [disputeId], () => {
    if (!ledger.captured) throw orderNotCaptured(order.id);
    if (ledger.openDisputeId !== undefined) {
      throw new DomainError(
        'conflict',
        'dispute_already_open',
        `Order ${order.id} is already under dispute ${ledger.openDisputeId}.`,
      );
    }
    const disputed = orderRemainder(ledger);
    return {
      disputeId,
      entries: [
        { account: cash, amount: -disputed },
        { account: disputes, amount: disputed },
        ...ledger.payees.flatMap((payee) => move(payee.userId, payeeAccountOf(ledger), 'frozen', payee.held)),
      ],
    };
  });
}

function assertDisputeOpen(order: OrderMoney, ledger: OrderLedger, disputeId: string): void {
  if (ledger.openDisputeId !== disputeId) {
    throw new DomainError(
      'conflict',
      'dispute_not_open',
      `Order ${order.id} has no open dispute ${disputeId}.`,
    );
  }
}

/**
 * The withdrawn money comes back to cash and the frozen parts go back to pending, or to available
 * if the order was released meanwhile.
 */
export function winDispute(order: OrderMoney, ledger: OrderLedger, disputeId: string): LedgerTransaction {
  return orderTransaction(order, ledger, 'dispute-won', [disputeId], () => {
    assertDisputeOpen(order, ledger, disputeId);
    const disputed = orderRemainder(ledger);
    return {
      disputeId,
      entries: [
        { account: disputes, amount: -disputed },
        { account: cash, amount: disputed },
        ...ledger.payees.flatMap((payee) =>
          move(payee.userId, 'frozen', payeeAccountOf(ledger), payee.frozen),
        ),
      ],
    };
  });
}

/**
 * The buyer keeps the withdrawn money, as if everything left of the order were refunded: the
 * payees lose their frozen parts and the platform its commission (booked to refunds). The card
 * network's dispute fee is not in this ledger.
 */
export function loseDispute(order: OrderMoney, ledger: OrderLedger, disputeId: string): LedgerTransaction {
  return orderTransaction(order, ledger, 'dispute-lost', [disputeId], () => {
    assertDisputeOpen(order, ledger, disputeId);
    const returnedLines = ledger.lines.flatMap((holding, line): ReturnedLine[] =>
      refundable(holding) > 0 ? [{ line, amount: refundable(holding), commission: holding.commission }] : [],
    );
    return {
      disputeId,
      returnedLines,
      entries: [
        { account: disputes, amount: -sumOfAmounts(returnedLines) },
        { account: refunds, amount: sumOf(returnedLines.map((line) => line.commission)) },
        ...ledger.payees.map((payee) => ({
          account: userAccount(payee.userId, 'frozen'),
          amount: payee.frozen,
        })),
      ],
    };
  });
}
