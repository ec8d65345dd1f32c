import { type OrderLedger, orderLedger, refundOrder } from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { type Order, orderNotFound, recordCancellation } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payments } from '../../payments.ts';
import { ledgerStore, orderStore } from '../../stores.ts';

interface CancelInput {
  readonly orderId: string;
  /** Present when a task failed rather than a party or a timeout deciding to cancel. */
  readonly transition: { readonly failure?: { readonly Error?: string; readonly Cause?: string } };
}

/** The ledger's writes giving back to the buyer everything the order's lines still hold, if anything. */
function refundAll(order: Order, ledger: OrderLedger, now: Date) {
  const lines = ledger.lines
    .map((held, line) => ({ line, amount: held.commission + held.proceeds }))
    .filter(({ amount }) => amount > 0);
  if (lines.length === 0) return [];
  return ledgerStore.transactItems(refundOrder(order, ledger, { refundId: 'cancellation', lines }), now);
}

/**
 * Compensation: the payment is released (refunded if captured, else its authorisation cancelled);
 * then the order is cancelled, its stock put back and the refund posted to the ledger in one
 * transaction. Each part is idempotent, so a retried cancellation never refunds or restocks twice.
 */
export const handler = taskHandler(async ({ orderId, transition }: CancelInput) => {
  const order = await orderStore.get(orderId);
  if (!order) throw orderNotFound(orderId);
  if (order.status === 'cancelled') return;
  const paymentRequested = (await orderStore.getCheckout(order.checkoutId))?.payment !== undefined;
  const payment = paymentRequested
    ? await payments.release({
        checkoutId: order.checkoutId,
        orderId,
        amount: order.total,
        currency: order.currency,
      })
    : 'cancelled';
  // A capture the order never recorded never reached the ledger either: nothing to give back there.
  const ledger = orderLedger(order, await ledgerStore.transactions(orderScope(orderId)));
  const { failure } = transition;
  const reason = failure ? `the workflow failed: ${failure.Error ?? 'error'}` : 'cancelled';
  const now = new Date();
  await orderStore.update(
    orderId,
    (current) =>
      current.status === 'cancelled' ? undefined : recordCancellation(current, reason, payment, now),
    {
      now,
      releaseStock: true,
      alsoWrite: (cancelled) =>
        ledger.captured && payment === 'refunded' ? refundAll(cancelled, ledger, now) : [],
    },
  );
});
