import { orderNotFound, recordCancellation } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payments } from '../../payments.ts';
import { orderStore } from '../../stores.ts';

interface CancelInput {
  readonly orderId: string;
  /** Present when a task failed rather than a party or a timeout deciding to cancel. */
  readonly transition: { readonly failure?: { readonly Error?: string; readonly Cause?: string } };
}

/**
 * Compensation: the payment is released (refunded if captured, else its authorisation cancelled);
 * then the order is cancelled and its stock put back in one transaction. Each part is idempotent, so a
 * retried cancellation never refunds or restocks twice.
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
  const { failure } = transition;
  const reason = failure ? `the workflow failed: ${failure.Error ?? 'error'}` : 'cancelled';
  await orderStore.update(
    orderId,
    (current) =>
      current.status === 'cancelled' ? undefined : recordCancellation(current, reason, payment, new Date()),
    { releaseStock: true },
  );
});
