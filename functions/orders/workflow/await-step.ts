import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import { resumeTransition } from '#shared/domain/order.ts';
import { responseDeadlinesOf } from '#shared/domain/order-disputes.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { deadlineOf, type WaitInput } from '#workflows/wait-input.ts';

/**
 * Stores the task token on the order (and a dispute step's parties' deadlines): from now on the
 * step's party may act. An order that has moved on (a decision recorded meanwhile, or a restart)
 * resumes where it stands instead.
 */
export const handler = taskHandler(orderFulfillment.tasks.AwaitStep, async (input: WaitInput) => {
  const deadline = deadlineOf(input);
  const responseDeadlines = responseDeadlinesOf(input.transition, new Date(), deadline);
  const outcome = await orderStore.beginStepWait(input.orderId, {
    transition: input.transition,
    taskToken: input.taskToken,
    deadline,
    ...(responseDeadlines ? { responseDeadlines } : {}),
  });
  if ('movedOn' in outcome)
    await orderWorkflow.sendTaskSuccess(input.taskToken, resumeTransition(outcome.movedOn));
});
