import { DomainError } from '../errors.ts';
import { parseAccount, platformAccount, type UserAccount, userAccount, userIdOf } from './accounts.ts';
import { insufficientBalance } from './balances.ts';
import {
  type LedgerEntry,
  type LedgerTransaction,
  ledgerTransaction,
  transactionId,
  transferScope,
} from './transaction.ts';

export interface TransferRequest {
  readonly transferId: string;
  readonly userId: string;
  readonly currency: string;
  readonly amount: number;
}

/** A transfer's posted transactions: the transfer itself and its reversals. */
export interface TransferLedger {
  readonly posted: ReadonlyMap<string, LedgerTransaction>;
  /** Absent until the transfer is posted. */
  readonly transfer?: { readonly userId: string; readonly currency: string; readonly amount: number };
  readonly reversed: number;
}

const cash = platformAccount('cash');
const transfers = platformAccount('transfers');

type PaidOutEntry = LedgerEntry & { readonly account: UserAccount };

const paidOutEntryOf = (transaction: LedgerTransaction) =>
  transaction.entries.find((entry): entry is PaidOutEntry => parseAccount(entry.account).type === 'paid-out');

export function transferLedger(
  transferId: string,
  transactions: readonly LedgerTransaction[],
): TransferLedger {
  const posted = new Map(transactions.map((transaction) => [transaction.id, transaction]));
  const transfer = posted.get(transactionId('transfer', transferId));
  const paidOut = transfer && paidOutEntryOf(transfer);
  const reversed = transactions
    .filter((transaction) => transaction.kind === 'transfer-reversal')
    .reduce((total, reversal) => total + (paidOutEntryOf(reversal)?.amount ?? 0), 0);
  return {
    posted,
    ...(transfer && paidOut
      ? {
          transfer: {
            userId: userIdOf(paidOut.account),
            currency: transfer.currency,
            amount: -paidOut.amount,
          },
        }
      : {}),
    reversed,
  };
}

function assertPositiveAmount(amount: number, code: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new DomainError('unprocessable', code, `${amount} is not a positive whole number of minor units.`);
  }
}

/**
 * Pays the user out of what is available to them (`available`, their balance as read, in the
 * transfer's currency): available → paid out, and the money leaves cash. The available entry must
 * be covered, so concurrent transfers cannot together pay more than was available.
 */
export function transferToUser(
  request: TransferRequest,
  available: number,
  ledger: TransferLedger,
): LedgerTransaction {
  const id = transactionId('transfer', request.transferId);
  const posted = ledger.posted.get(id);
  if (posted) return posted;
  const { userId, currency, amount } = request;
  assertPositiveAmount(amount, 'transfer_amount_invalid');
  if (amount > available)
    throw insufficientBalance(userAccount(userId, 'available'), currency, available, amount);
  return ledgerTransaction({ id, kind: 'transfer', scope: transferScope(request.transferId), currency }, [
    { account: userAccount(userId, 'available'), amount, mustBeCovered: true },
    { account: userAccount(userId, 'paid-out'), amount: -amount },
    { account: cash, amount: -amount },
    { account: transfers, amount },
  ]);
}

/** Takes back part of a transfer (never more than is left of it): paid out → available, into cash. */
export function reverseTransfer(
  transferId: string,
  ledger: TransferLedger,
  reversal: { readonly reversalId: string; readonly amount: number },
): LedgerTransaction {
  const id = transactionId('transfer-reversal', transferId, reversal.reversalId);
  const posted = ledger.posted.get(id);
  if (posted) return posted;
  const { transfer } = ledger;
  if (!transfer)
    throw new DomainError('not-found', 'transfer_not_found', `Transfer ${transferId} was never posted.`);
  const { amount } = reversal;
  assertPositiveAmount(amount, 'reversal_amount_invalid');
  const left = transfer.amount - ledger.reversed;
  if (amount > left) {
    throw new DomainError(
      'conflict',
      'reversal_exceeds_transfer',
      `Only ${left} ${transfer.currency} of transfer ${transferId} is left to reverse, not ${amount}.`,
    );
  }
  return ledgerTransaction(
    { id, kind: 'transfer-reversal', scope: transferScope(transferId), currency: transfer.currency },
    [
      { account: userAccount(transfer.userId, 'paid-out'), amount },
      { account: userAccount(transfer.userId, 'available'), amount: -amount },
      { account: cash, amount },
      { account: transfers, amount: -amount },
    ],
  );
}
