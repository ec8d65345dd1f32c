import { ledgerStore } from '#shared/app/composition/stores/ledger-store.ts';
import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { settleCheckoutPayment } from '#shared/app/orders/checkout-payment.ts';
import { carryOutRefund, reserve } from '#shared/app/orders/refunds.ts';
import { orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import { linesLeftToRefund } from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { orderNotFound, recordCancellation, workflowActor } from '#shared/domain/order.ts';
import { type OrderRefund, pendingRefundOf } from '#shared/domain/order-refunds.ts';
import { PaymentRejected } from '#shared/payments/port.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';

interface CancelInput {
  readonly orderId: string;
  /** Present when a task failed rather than a party or a timeout deciding to cancel. */
  readonly transition: { readonly failure?: { readonly Error?: string; readonly Cause?: string } };
}

/** The cancellation's own refund: no caller's refund has this id (theirs are `re_…`). */
const cancellationRefundId = '#cancellation';

/** At most: finish a refund in progress, reserve the cancellation's, make it, find nothing left. */
const maxRefundSteps = 4;

/** The order was captured and moved while it was being cancelled: the task is tried again. */
class CaptureChanged extends Error {}

/**
 * Gives the buyer back everything a captured order still holds, as one more refund of the order
 * (a refund in progress is finished first: an order has one pending refund at a time). Answers
 * whether the order was captured.
 */
async function refundEverythingLeft(orderId: string): Promise<boolean> {
  for (let step = 1; step <= maxRefundSteps; step++) {
    const order = await orderStore.get(orderId);
    if (!order) throw orderNotFound(orderId);
    if (order.paymentStatus !== 'captured') return false;
    const inProgress = pendingRefundOf(order);
    if (inProgress) {
      const made = await carryOutRefund(order, inProgress);
      if (made.refundId === cancellationRefundId && made.status === 'failed') {
        throw new PaymentRejected(
          `The cancellation's refund was refused: ${made.failure ?? 'no reason given'}`,
        );
      }
      continue;
    }
    const lines = linesLeftToRefund(orderLedger(order, await ledgerStore.transactions(orderScope(orderId))));
    if (lines.length === 0) return true;
    const refund: OrderRefund = {
      refundId: cancellationRefundId,
      status: 'pending',
      lines,
      amount: lines.reduce((sum, line) => sum + line.amount, 0),
      refundFee: true,
      reason: 'order cancelled',
      by: workflowActor,
      fingerprint: cancellationRefundId,
      requestedAt: new Date().toISOString(),
    };
    await reserve(orderId, refund);
  }
  throw new Error(`order ${orderId} still had refunds to make after ${maxRefundSteps} steps`);
}

/**
 * Compensation. A captured order is refunded what it still holds; an order not captured is left
 * out of its checkout's capture (its part of the authorisation lapses with the capture, or the
 * whole authorisation is cancelled when no order of the checkout goes ahead), which the write
 * checks against the checkout. Then the order is cancelled and its stock put back in one
 * transaction, and the checkout's capture is settled if this was the last order it waited for.
 * Each part is idempotent, so a retried cancellation never refunds or restocks twice.
 */
export const handler = taskHandler(
  orderFulfillment.tasks.CancelOrder,
  async ({ orderId, transition }: CancelInput) => {
    const order = await orderStore.get(orderId);
    if (!order) throw orderNotFound(orderId);
    if (order.status !== 'cancelled') {
      // A capture that took this order's part must reach the order (and its ledger) to be refunded.
      if ((await orderStore.getCheckout(order.checkoutId))?.capture?.orderIds.includes(orderId)) {
        await settleCheckoutPayment(order.checkoutId);
      }
      const captured = await refundEverythingLeft(orderId);
      const { failure } = transition;
      const reason = failure ? `the workflow failed: ${failure.Error ?? 'error'}` : 'cancelled';
      const now = new Date();
      await orderStore.update(
        orderId,
        (current) => {
          if (current.status === 'cancelled') return undefined;
          if ((current.paymentStatus === 'captured') !== captured) throw new CaptureChanged();
          return recordCancellation(current, reason, captured ? 'refunded' : 'cancelled', now);
        },
        {
          now,
          releaseStock: true,
          alsoWrite: () => (captured ? [] : [orderStore.captureExcludes(order.checkoutId, orderId)]),
        },
      );
    }
    await settleCheckoutPayment(order.checkoutId);
    // An order cancelled unpaid (its payment window lapsed) no longer counts against its buyer.
    await orderStore.releaseUnpaidCheckout({ id: order.checkoutId, buyerId: order.buyerId });
  },
);
