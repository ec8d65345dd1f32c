import { DomainError } from '#shared/domain/errors.ts';
import { transferScope } from '#shared/domain/ledger/transaction.ts';
import { reverseTransfer, transferLedger, transferToUser } from '#shared/domain/ledger/transfer-postings.ts';
import {
  decidePayout,
  isFinalLineStatus,
  payoutTransferGroup,
  payoutTransferId,
} from '#shared/domain/payout-run.ts';
import { type PayoutTransfer, TransferRefused } from '#shared/payments/port.ts';
import { LineMoved, type PayoutLine, type PayoutRun } from '#shared/store/payout-run-store.ts';
import { transfers } from '../payments.ts';
import { ledgerStore, paymentsAccountStore, payoutRunStore } from '../stores.ts';

export interface PayoutFailure {
  readonly code: string;
  readonly message: string;
}

const transferOf = (line: PayoutLine): PayoutTransfer => {
  if (line.amount === undefined || !line.stripeAccountId) {
    throw new Error(
      `Payout line ${line.runId}/${line.sellerId} is transferring without an amount or account`,
    );
  }
  return {
    key: payoutTransferId(line.runId, line.sellerId),
    group: payoutTransferGroup(line.runId),
    sellerId: line.sellerId,
    stripeAccountId: line.stripeAccountId,
    amount: line.amount,
    currency: line.currency,
  };
};

export async function requireLine(runId: string, sellerId: string): Promise<PayoutLine> {
  const line = await payoutRunStore.line(runId, sellerId);
  if (!line)
    throw new DomainError('not-found', 'payout_line_not_found', `Run ${runId} has no line for ${sellerId}.`);
  return line;
}

/**
 * planned → transferring, or skipped: the seller is paid what the selection planned, or less if
 * their available balance fell since, unless a hold, a dispute or their account now stops it.
 * The amount and the ledger transfer are written with the line, before Stripe is asked.
 */
async function reserve(run: PayoutRun, line: PayoutLine): Promise<void> {
  const [balances, account, hold] = await Promise.all([
    ledgerStore.payoutBalances([line.sellerId], run.currency),
    paymentsAccountStore.get(line.sellerId),
    payoutRunStore.hold(line.sellerId),
  ]);
  const { available, frozen } = balances.get(line.sellerId) ?? { available: 0, frozen: 0 };
  const decision = decidePayout(
    {
      payable: Math.min(line.plannedAmount, available),
      frozen,
      onHold: hold !== undefined,
      ...(account
        ? { account: { stripeAccountId: account.stripeAccountId, payoutsEnabled: account.payoutsEnabled } }
        : {}),
    },
    run.policy,
  );
  if ('skip' in decision) return payoutRunStore.skip(line, decision.skip);
  const transferId = payoutTransferId(line.runId, line.sellerId);
  const transfer = transferToUser(
    { transferId, userId: line.sellerId, currency: run.currency, amount: decision.pay },
    available,
    transferLedger(transferId, []),
  );
  await payoutRunStore.reserve(
    line,
    { amount: decision.pay, stripeAccountId: decision.stripeAccountId },
    transfer,
  );
}

/**
 * → failed. A transferring line is first looked for at Stripe: if the transfer was made after all,
 * the line is paid; otherwise the ledger transfer is reversed with the failure.
 */
export async function failLine(
  line: PayoutLine,
  failure: PayoutFailure,
  checkStripe: boolean,
): Promise<void> {
  if (line.status === 'planned') return payoutRunStore.fail(line, failure, undefined);
  if (line.status !== 'transferring') return;
  const transfer = transferOf(line);
  const made = checkStripe ? await transfers.find(transfer) : undefined;
  if (made) return payoutRunStore.markPaid(line, made);
  const transferId = payoutTransferId(line.runId, line.sellerId);
  const reversal = reverseTransfer(
    transferId,
    transferLedger(transferId, await ledgerStore.transactions(transferScope(transferId))),
    { reversalId: 'failed', amount: transfer.amount },
  );
  await payoutRunStore.fail(line, failure, reversal);
}

/**
 * Pays one seller of a run, from wherever their line stands: safe to run again after a crash or a
 * lost response, and alongside another attempt. A transferring line found at the start was left by
 * an earlier attempt: Stripe is asked whether it made the transfer before asked again.
 */
export async function payLine(run: PayoutRun, sellerId: string): Promise<PayoutLine> {
  let line = await requireLine(run.runId, sellerId);
  const resumed = line.status === 'transferring';
  // planned → transferring → paid, or a final status; each change may find the line moved on.
  for (let change = 0; change < 3 && !isFinalLineStatus(line.status); change += 1) {
    try {
      if (line.status === 'planned') {
        await reserve(run, line);
      } else {
        const transfer = transferOf(line);
        const made = (resumed && (await transfers.find(transfer))) || (await transfers.transfer(transfer));
        await payoutRunStore.markPaid(line, made);
      }
    } catch (error) {
      if (error instanceof TransferRefused) {
        await failLine(line, { code: error.code, message: error.message }, false);
      } else if (!(error instanceof LineMoved)) {
        throw error;
      }
    }
    line = await requireLine(run.runId, sellerId);
  }
  return line;
}
