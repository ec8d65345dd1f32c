import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import { beginWait, resumeTransition, type Transition } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { deadlineOf, type WaitInput } from '#workflows/wait-input.ts';

const sameTransition = (a: Transition, b: Transition) => a.next === b.next && a.stepIndex === b.stepIndex;

/**
 * Stores the task token on the order: from now on the step's party may act. An order that has
 * moved on (a decision recorded meanwhile, or a restart) resumes where it stands instead.
 */
export const handler = taskHandler(orderFulfillment.tasks.AwaitStep, async (input: WaitInput) => {
  let movedOn: Transition | undefined;
  await orderStore.update(input.orderId, (order) => {
    const atThisStep =
      order.status === 'in-progress' &&
      order.stepIndex === input.transition.stepIndex &&
      (!order.pending || sameTransition(order.pending, input.transition));
    if (atThisStep) return beginWait(order, input.taskToken, deadlineOf(input), input.transition.stepIndex);
    movedOn = resumeTransition(order);
    return undefined;
  });
  if (movedOn) await orderWorkflow.sendTaskSuccess(input.taskToken, movedOn);
});
