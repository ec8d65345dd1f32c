import type { Order, OrderChange } from '#shared/domain/order.ts';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';
import { orderStore } from '../stores.ts';
import { orderWorkflow } from '../workflows.ts';

/**
 * Records a decision on the order, then resumes the workflow waiting on it with the transition the
 * decision made. Recording first makes the order the arbiter: if the wait timed out meanwhile, the
 * timeout's resolution finds the decision and follows it instead.
 */
export async function decideAndResume(
  orderId: string,
  decide: (order: Order) => OrderChange | undefined,
): Promise<Order | undefined> {
  let token: string | undefined;
  const decided = await orderStore.update(orderId, (current) => {
    token = current.taskToken;
    return decide(current);
  });
  if (decided?.pending && token) {
    try {
      await orderWorkflow.sendTaskSuccess(token, decided.pending);
    } catch (error) {
      if (!(error instanceof TaskNoLongerWaiting)) throw error;
    }
  }
  return decided;
}
