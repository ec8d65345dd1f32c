import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import { settleCheckoutPayment } from '#shared/app/orders/checkout-payment.ts';
import { beginCaptureWait, resumeTransition, type Transition } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import type { WaitInput } from '#workflows/wait-input.ts';

/**
 * The order has passed its capture step: it waits, token stored, for its checkout's one capture,
 * which this may be the last order to make possible (or, past the capture deadline, must force).
 * An order captured already goes on at once; one that has moved on (another decision recorded
 * meanwhile) resumes where it stands.
 */
export const handler = taskHandler(orderFulfillment.tasks.AwaitCapture, async (input: WaitInput) => {
  let movedOn: Transition | undefined;
  const waiting = await orderStore.update(input.orderId, (order) => {
    const decidedToCapture = order.pending ? order.pending.capture : order.captureThen !== undefined;
    if (order.status === 'in-progress' && order.paymentStatus === 'authorised' && decidedToCapture) {
      return beginCaptureWait(order, input.taskToken, input.transition);
    }
    // Captured while its decision was on the way here: on without waiting.
    movedOn = resumeTransition(order);
    return undefined;
  });
  if (movedOn) return orderWorkflow.sendTaskSuccess(input.taskToken, movedOn);
  if (waiting) {
    const pastDeadline = waiting.captureBy !== undefined && Date.parse(waiting.captureBy) <= Date.now();
    await settleCheckoutPayment(waiting.checkoutId, { force: pastDeadline });
  }
});
