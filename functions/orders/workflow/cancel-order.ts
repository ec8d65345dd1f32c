import {
  linesLeftToRefund,
  type OrderLedger,
  orderLedger,
  refundOrder,
} from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { type Order, orderNotFound, recordCancellation } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payments } from '../../payments.ts';
import { ledgerStore, orderStore } from '../../stores.ts';
import { settleCheckoutPayment } from '../checkout-payment.ts';

interface CancelInput {
  readonly orderId: string;
  /** Present when a task failed rather than a party or a timeout deciding to cancel. */
  readonly transition: { readonly failure?: { readonly Error?: string; readonly Cause?: string } };
}

const cancellationRefundId = 'cancellation';

/** Gives the buyer back what the captured order still holds, at the provider. */
async function refundHeld(order: Order, ledger: OrderLedger): Promise<void> {
  const amount = linesLeftToRefund(ledger).reduce((sum, { amount: held }) => sum + held, 0);
  if (amount === 0) return;
  const checkout = await orderStore.getCheckout(order.checkoutId);
  if (!checkout?.payment) throw new Error(`order ${order.id} was captured without a payment`);
  await payments.refund({
    checkoutId: order.checkoutId,
    paymentId: checkout.payment.paymentId,
    refundKey: `${order.id}:${cancellationRefundId}`,
    amount,
  });
}

/**
 * Compensation. A captured order is refunded what it still holds; an order not captured is left
 * out of its checkout's capture (its part of the authorisation lapses with the capture, or the
 * whole authorisation is cancelled when no order of the checkout goes ahead). Then the order is
 * cancelled, its stock put back and the refund posted to the ledger in one transaction, and the
 * checkout's capture is settled if this was the last order it waited for. Each part is idempotent,
 * so a retried cancellation never refunds or restocks twice.
 */
export const handler = taskHandler(async ({ orderId, transition }: CancelInput) => {
  let order = await orderStore.get(orderId);
  if (!order) throw orderNotFound(orderId);
  if (order.status !== 'cancelled') {
    // A capture that took this order's part must reach the order (and its ledger) to be refunded.
    if ((await orderStore.getCheckout(order.checkoutId))?.capture?.orderIds.includes(orderId)) {
      await settleCheckoutPayment(order.checkoutId);
      order = (await orderStore.get(orderId)) ?? order;
    }
    const ledger = orderLedger(order, await ledgerStore.transactions(orderScope(orderId)));
    const captured = order.paymentStatus === 'captured';
    if (captured) await refundHeld(order, ledger);
    const { failure } = transition;
    const reason = failure ? `the workflow failed: ${failure.Error ?? 'error'}` : 'cancelled';
    const now = new Date();
    await orderStore.update(
      orderId,
      (current) =>
        current.status === 'cancelled'
          ? undefined
          : recordCancellation(current, reason, captured ? 'refunded' : 'cancelled', now),
      {
        now,
        releaseStock: true,
        alsoWrite: (cancelled) =>
          captured && linesLeftToRefund(ledger).length > 0
            ? ledgerStore.transactItems(
                refundOrder(cancelled, ledger, {
                  refundId: cancellationRefundId,
                  lines: linesLeftToRefund(ledger),
                }),
                now,
              )
            : [],
      },
    );
  }
  await settleCheckoutPayment(order.checkoutId);
});
