import { DomainError } from '#shared/domain/errors.ts';
import { transferScope } from '#shared/domain/ledger/transaction.ts';
import { reverseTransfer, transferLedger, transferToUser } from '#shared/domain/ledger/transfer-postings.ts';
import {
  decidePayout,
  isFinalLineStatus,
  payoutTransferGroup,
  payoutTransferId,
} from '#shared/domain/payout-run.ts';
import { count, counters } from '#shared/observability/metrics.ts';
import { type PayoutTransfer, TransferRefused } from '#shared/payments/port.ts';
import { LineMoved, type PayoutLine, type PayoutRun } from '#shared/store/payout-runs/run-and-line-types.ts';
import { transfers } from '../composition/payments.ts';
import { ledgerStore } from '../composition/stores/ledger-store.ts';
import { paymentsAccountStore } from '../composition/stores/payments-account-store.ts';
import { payoutRunStore } from '../composition/stores/payout-run-store.ts';

interface PayoutFailure {
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
 * The amount and the ledger transfer are written with the line, before Stripe is asked. Answers
 * the line as written.
 */
async function reserve(run: PayoutRun, line: PayoutLine): Promise<PayoutLine> {
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
  if ('skip' in decision) {
    await payoutRunStore.skip(line, decision.skip);
    return { ...line, status: 'skipped', skipReason: decision.skip };
  }
  const transferId = payoutTransferId(line.runId, line.sellerId);
  const transfer = transferToUser(
    { transferId, userId: line.sellerId, currency: run.currency, amount: decision.pay },
    available,
    transferLedger(transferId, []),
  );
  const payment = { amount: decision.pay, stripeAccountId: decision.stripeAccountId };
  await payoutRunStore.reserve(line, payment, transfer);
  return { ...line, status: 'transferring', ...payment };
}

/** Stripe refused the transfer for good: the line fails and the ledger transfer is reversed with it. */
async function refuse(line: PayoutLine, refusal: TransferRefused): Promise<void> {
  const transferId = payoutTransferId(line.runId, line.sellerId);
  const reversal = reverseTransfer(
    transferId,
    transferLedger(transferId, await ledgerStore.transactions(transferScope(transferId))),
    { reversalId: 'failed', amount: transferOf(line).amount },
  );
  await markFailed(line, { code: refusal.code, message: refusal.message }, reversal);
}

/** Each line is paid or fails once: the store's write is conditional on the status it was read in. */
async function markPaid(line: PayoutLine, transferId: string): Promise<void> {
  await payoutRunStore.markPaid(line, transferId);
  count(counters.payoutLinesPaid);
}

async function markFailed(...args: Parameters<typeof payoutRunStore.fail>): Promise<void> {
  await payoutRunStore.fail(...args);
  count(counters.payoutLinesFailed);
}

/**
 * Makes the line's transfer: the one Stripe made already, found by its key in the transfer's
 * metadata when an earlier attempt may have made it (Stripe forgets idempotency keys after a
 * day), or a new one under the line's idempotency key. Answers Stripe's transfer id.
 */
async function transfer(line: PayoutLine, mayExist: boolean): Promise<string> {
  const payout = transferOf(line);
  return (mayExist && (await transfers.find(payout))) || transfers.transfer(payout);
}

/**
 * A seller's payment failed after its retries. A planned line fails. A transferring line may have
 * been paid by an attempt whose answer was lost, or still in flight: it is never reversed on a
 * guess. Its transfer is made (or found) once more under its key: paid, or refused for good and
 * reversed; any other error leaves it transferring, for the run to report it unresolved.
 */
export async function failLine(line: PayoutLine, failure: PayoutFailure): Promise<void> {
  if (line.status === 'planned') return markFailed(line, failure, undefined);
  if (line.status !== 'transferring') return;
  try {
    await markPaid(line, await transfer(line, true));
  } catch (error) {
    if (!(error instanceof TransferRefused)) throw error;
    await refuse(line, error);
  }
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
        line = await reserve(run, line);
      } else {
        const transferId = await transfer(line, resumed);
        await markPaid(line, transferId);
        line = { ...line, status: 'paid', transferId };
      }
    } catch (error) {
      if (error instanceof TransferRefused) {
        await refuse(line, error);
        line = { ...line, status: 'failed' };
      } else if (error instanceof LineMoved) {
        line = error.line ?? (await requireLine(run.runId, sellerId));
      } else {
        throw error;
      }
    }
  }
  if (!isFinalLineStatus(line.status)) {
    throw new Error(`The payout line of ${sellerId} in run ${run.runId} is still ${line.status}`);
  }
  return line;
}
