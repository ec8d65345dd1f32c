import { parseAccount } from '#shared/domain/ledger/accounts.ts';
import { orderScope, transactionId, transferScope } from '#shared/domain/ledger/transaction.ts';
import { reverseTransfer, transferLedger } from '#shared/domain/ledger/transfer-postings.ts';
import type { Order } from '#shared/domain/order.ts';
import { payoutTransferId } from '#shared/domain/payout-run.ts';
import { logger } from '#shared/logger.ts';
import { TransferRefused } from '#shared/payments/port.ts';
import { transfers } from '../composition/payments.ts';
import { ledgerStore } from '../composition/stores/ledger-store.ts';
import { payoutRunStore } from '../composition/stores/payout-run-store.ts';

/** How many of a payee's latest payouts a shortfall is taken back from. */
const payoutsReversible = 20;

async function availableTo(userId: string, currency: string): Promise<number> {
  const balances = await ledgerStore.balances(userId);
  return balances.find((balance) => balance.currency === currency)?.available ?? 0;
}

/** What the refund took out of each payee's available balance (nothing for an order not released). */
async function takenFromAvailable(order: Order, refundId: string): Promise<Map<string, number>> {
  const id = transactionId('refund', order.id, refundId);
  const refund = (await ledgerStore.transactions(orderScope(order.id))).find((posted) => posted.id === id);
  const taken = new Map<string, number>();
  for (const entry of refund?.entries ?? []) {
    const { owner, type } = parseAccount(entry.account);
    // Available is credit-normal: a debit (positive) takes money out.
    if (type === 'available' && entry.amount > 0) taken.set(owner.slice('user:'.length), entry.amount);
  }
  return taken;
}

/**
 * A refund of a released order takes the payees' part out of their available balance, which falls
 * below zero when a payout run has transferred that money already. That shortfall, up to what this
 * refund took, is taken back from the payee's latest transfers, newest first: reversed at Stripe
 * (key `reversal:<orderId>:<refundId>:<transferId>`), then in the ledger (paid out back to
 * available). Safe to run again: each reversal is found by its key at Stripe and by its id in the
 * ledger. What Stripe refuses to reverse stays a negative balance, which the payee's next sales cover.
 */
export async function recoverRefundFromPayouts(order: Order, refundId: string): Promise<void> {
  const reversalId = `${order.id}:${refundId}`;
  for (const [userId, taken] of await takenFromAvailable(order, refundId)) {
    let shortfall = Math.min(taken, -(await availableTo(userId, order.currency)));
    const { items } =
      shortfall > 0 ? await payoutRunStore.sellerPayouts(userId, payoutsReversible) : { items: [] };
    for (const line of items) {
      if (shortfall <= 0) break;
      if (line.status !== 'paid' || line.currency !== order.currency || !line.transferId) continue;
      const ledgerTransferId = payoutTransferId(line.runId, userId);
      const ledger = transferLedger(
        ledgerTransferId,
        await ledgerStore.transactions(transferScope(ledgerTransferId)),
      );
      if (ledger.posted.has(transactionId('transfer-reversal', ledgerTransferId, reversalId))) continue;
      const left = (ledger.transfer?.amount ?? 0) - ledger.reversed;
      if (left <= 0) continue;
      let reversed: number;
      try {
        reversed = await transfers.reverse({
          transferId: line.transferId,
          amount: Math.min(shortfall, left),
          key: `reversal:${reversalId}:${line.transferId}`,
        });
      } catch (error) {
        if (!(error instanceof TransferRefused)) throw error;
        logger.warn('Stripe refused to reverse a transfer; the seller keeps a negative balance', {
          orderId: order.id,
          refundId,
          transferId: line.transferId,
          reason: error.message,
        });
        break;
      }
      await ledgerStore.post(reverseTransfer(ledgerTransferId, ledger, { reversalId, amount: reversed }));
      shortfall -= reversed;
    }
  }
}
