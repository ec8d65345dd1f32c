import { type OrderLedger, orderLedger, refundOrder } from '#shared/domain/ledger/order-postings.ts';
import { type LedgerTransaction, orderScope } from '#shared/domain/ledger/transaction.ts';
import type { Order, OrderChange } from '#shared/domain/order.ts';
import {
  type OrderRefund,
  recordRefund,
  recordRefundFailure,
  reserveRefund,
} from '#shared/domain/order-refunds.ts';
import { PaymentRejected } from '#shared/payments/port.ts';
import { concurrentModification } from '#shared/store/conditional.ts';
import { payments } from '../payments.ts';
import { ledgerStore, orderStore } from '../stores.ts';

/** A refund's ledger transaction depends on the ledger as it stands: recomputed when the order moved. */
const maxLedgerAttempts = 5;

class OrderMoved extends Error {}

/**
 * Writes `change` with the ledger transaction `post` computes from the order's ledger as read
 * with the order, in one DynamoDB transaction that holds only if the order has not changed since
 * (every ledger posting of an order changes the order too). Moved meanwhile: read both again.
 */
async function withOrderLedger(
  orderId: string,
  post: (order: Order, ledger: OrderLedger) => LedgerTransaction | undefined,
  change: (order: Order) => OrderChange | undefined,
): Promise<void> {
  for (let attempt = 1; attempt <= maxLedgerAttempts; attempt++) {
    const read = await orderStore.get(orderId);
    if (!read) throw new Error(`order ${orderId} vanished`);
    const posting = post(read, orderLedger(read, await ledgerStore.transactions(orderScope(orderId))));
    const now = new Date();
    try {
      await orderStore.update(
        orderId,
        (current) => {
          if (current.version !== read.version) throw new OrderMoved();
          return change(current);
        },
        { now, alsoWrite: () => (posting ? ledgerStore.transactItems(posting, now) : []) },
      );
      return;
    } catch (error) {
      if (!(error instanceof OrderMoved)) throw error;
    }
  }
  throw concurrentModification();
}

/** Records the refund as pending, after checking against the ledger that the order still holds it. */
export function reserve(orderId: string, refund: OrderRefund): Promise<void> {
  return withOrderLedger(
    orderId,
    (order, ledger) => {
      refundOrder(order, ledger, refund);
      return undefined;
    },
    (order) => reserveRefund(order, refund),
  );
}

/**
 * Makes a pending refund at the provider (idempotent per order and refund) and records it with
 * its ledger transaction. The provider refusing fails the refund, which then holds no money.
 */
export async function carryOutRefund(order: Order, refund: OrderRefund): Promise<OrderRefund> {
  const checkout = await orderStore.getCheckout(order.checkoutId);
  if (!checkout?.payment) throw new Error(`order ${order.id} has no payment to refund`);
  try {
    await payments.refund({
      checkoutId: order.checkoutId,
      paymentId: checkout.payment.paymentId,
      refundKey: `${order.id}:${refund.refundId}`,
      amount: refund.amount,
    });
  } catch (error) {
    if (!(error instanceof PaymentRejected)) throw error;
    await orderStore.update(order.id, (current) =>
      current.refunds?.[refund.refundId]?.status === 'pending'
        ? recordRefundFailure(current, refund.refundId, error.message, new Date())
        : undefined,
    );
    return { ...refund, status: 'failed', failure: error.message };
  }
  await withOrderLedger(
    order.id,
    (current, ledger) =>
      current.refunds?.[refund.refundId]?.status === 'pending'
        ? refundOrder(current, ledger, refund)
        : undefined,
    (current) =>
      current.refunds?.[refund.refundId]?.status === 'pending'
        ? recordRefund(current, refund.refundId, new Date())
        : undefined,
  );
  const settled = (await orderStore.get(order.id))?.refunds?.[refund.refundId];
  if (!settled) throw new Error(`refund ${refund.refundId} of order ${order.id} vanished`);
  return settled;
}
