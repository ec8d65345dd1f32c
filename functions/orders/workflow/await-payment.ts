import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import { applyPaymentAuthorisation, captureDeadlineOf } from '#shared/app/orders/payment-authorisation.ts';
import { resumeTransition } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { deadlineOf, type WaitInput } from '#workflows/wait-input.ts';

/**
 * Stores the task token on the order while it waits for its payment. A payment authorised before
 * the token was stored is applied at once; an order that has moved on resumes where it stands.
 */
export const handler = taskHandler(orderFulfillment.tasks.AwaitPayment, async (input: WaitInput) => {
  const outcome = await orderStore.beginPaymentWait(input.orderId, {
    taskToken: input.taskToken,
    deadline: deadlineOf(input),
  });
  if ('movedOn' in outcome) {
    return orderWorkflow.sendTaskSuccess(input.taskToken, resumeTransition(outcome.movedOn));
  }
  const captureBy = captureDeadlineOf(await orderStore.getCheckout(outcome.waiting.checkoutId));
  if (captureBy) await applyPaymentAuthorisation(input.orderId, captureBy, outcome.waiting);
});
