import { recordTimeout, resumeTransition, type Transition } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderStore } from '../../stores.ts';

interface TimeoutInput {
  readonly orderId: string;
  /** The wait that timed out. */
  readonly waitedFor: Transition;
}

/**
 * A wait timed out. If the order still stands at that wait, the timeout decides (as the step says);
 * if a party's decision got in first, that decision stands. Either way the workflow follows the order.
 */
export const handler = taskHandler(async ({ orderId, waitedFor }: TimeoutInput): Promise<Transition> => {
  let standing: Transition | undefined;
  const decided = await orderStore.update(orderId, (order) => {
    const stillWaiting =
      !order.pending &&
      (waitedFor.next === 'await-payment'
        ? order.status === 'awaiting-payment'
        : order.status === 'in-progress' && order.stepIndex === waitedFor.stepIndex);
    if (stillWaiting) return recordTimeout(order, new Date());
    standing = resumeTransition(order);
    return undefined;
  });
  const transition = decided?.pending ?? standing;
  if (!transition) throw new Error(`order ${orderId} resolved to no transition`);
  return transition;
});
