import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import { applyPaymentAuthorisation, captureDeadlineOf } from '#shared/app/orders/payment-authorisation.ts';
import { beginPaymentWait, resumeTransition, type Transition } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { deadlineOf, type WaitInput } from '#workflows/wait-input.ts';

/**
 * Stores the task token on the order while it waits for its payment. A payment authorised before
 * the token was stored is applied at once; an order that has moved on resumes where it stands.
 */
export const handler = taskHandler(orderFulfillment.tasks.AwaitPayment, async (input: WaitInput) => {
  let movedOn: Transition | undefined;
  const waiting = await orderStore.update(input.orderId, (order) => {
    if (order.status === 'awaiting-payment' && !order.pending) {
      return beginPaymentWait(order, input.taskToken, deadlineOf(input));
    }
    movedOn = resumeTransition(order);
    return undefined;
  });
  if (movedOn) return orderWorkflow.sendTaskSuccess(input.taskToken, movedOn);
  const captureBy = waiting && captureDeadlineOf(await orderStore.getCheckout(waiting.checkoutId));
  if (captureBy) await applyPaymentAuthorisation(input.orderId, captureBy, waiting);
});
