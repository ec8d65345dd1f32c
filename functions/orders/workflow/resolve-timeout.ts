import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { settleCheckoutPayment } from '#shared/app/orders/checkout-payment.ts';
import { captureDeadlineOf } from '#shared/app/orders/payment-authorisation.ts';
import {
  orderNotFound,
  recordPaymentAuthorised,
  recordTimeout,
  resumeTransition,
  type Transition,
} from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';

interface TimeoutInput {
  readonly orderId: string;
  /** The wait that timed out. */
  readonly waitedFor: Transition;
}

/**
 * A wait timed out. The capture wait's deadline settles the checkout's payment at once, by rule.
 * Otherwise, if the order still stands at that wait, the timeout decides (as the step says); if a
 * party's decision got in first, that decision stands. A payment authorised before the payment
 * wait could record it counts as authorised. Either way the workflow follows the order.
 */
export const handler = taskHandler(
  orderFulfillment.tasks.ResolveTimeout,
  async ({ orderId, waitedFor }: TimeoutInput): Promise<Transition> => {
    const order = await orderStore.get(orderId);
    if (!order) throw orderNotFound(orderId);
    if (waitedFor.capture) {
      await settleCheckoutPayment(order.checkoutId, { force: true });
      const settled = await orderStore.get(orderId);
      return resumeTransition(settled ?? order);
    }
    const waitingForPayment = waitedFor.next === 'await-payment';
    const captureBy = waitingForPayment
      ? captureDeadlineOf(await orderStore.getCheckout(order.checkoutId))
      : undefined;
    let standing: Transition | undefined;
    const decided = await orderStore.update(orderId, (current) => {
      const stillWaiting =
        !current.pending &&
        (waitingForPayment
          ? current.status === 'awaiting-payment'
          : current.status === 'in-progress' && current.stepIndex === waitedFor.stepIndex);
      if (!stillWaiting) {
        standing = resumeTransition(current);
        return undefined;
      }
      return captureBy
        ? recordPaymentAuthorised(current, captureBy, new Date())
        : recordTimeout(current, new Date());
    });
    const transition = decided?.pending ?? standing;
    if (!transition) throw new Error(`order ${orderId} resolved to no transition`);
    return transition;
  },
);
