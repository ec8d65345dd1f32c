import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { changeWithLedger } from '#shared/app/orders/order-ledger.ts';
import { openReviewWindow } from '#shared/app/reviews/review-window.ts';
import { releaseOrder } from '#shared/domain/ledger/order-postings.ts';
import { type Order, recordCompletion } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';

const completes = (order: Order) => {
  if (order.status === 'cancelled') throw new Error(`order ${order.id} was cancelled; it cannot complete`);
  return order.status !== 'completed';
};

/**
 * Completes the order and, in the same transaction, makes its payees' money available to pay out,
 * as the ledger stands then (a refund or chargeback posted meanwhile is taken into account). Then
 * its parties may review each other: the order's review window opens.
 */
export const handler = taskHandler(
  orderFulfillment.tasks.CompleteOrder,
  async ({ orderId }: { orderId: string }) => {
    const completed =
      (await changeWithLedger(
        orderId,
        (order, ledger) => (completes(order) && ledger.captured ? releaseOrder(order, ledger) : undefined),
        (order) => (completes(order) ? recordCompletion(order, new Date()) : undefined),
      )) ?? (await orderStore.get(orderId));
    if (completed) await openReviewWindow(completed);
  },
);
