import { resumeTransition } from '#shared/domain/order.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { registerInProcessWorkflow } from '#shared/workflows/in-process.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { WorkflowRunner } from './workflow-runner.ts';

/**
 * Runs the order-fulfillment ASL in-process for the local functions, and restarts the workflow of
 * every unfinished order from its stored state: executions do not survive a restart here as they
 * do in Step Functions, but the order records where its workflow stood. A wait resumes with its
 * original deadline, so one that ended while the stack was down times out at once.
 */
export async function startOrderWorkflows(orders: OrderStore, msPerSecond?: number): Promise<WorkflowRunner> {
  const runner = await WorkflowRunner.create({
    workflow: orderFulfillment,
    ...(msPerSecond === undefined ? {} : { msPerSecond }),
  });
  registerInProcessWorkflow(orderFulfillment.name, runner);
  for await (const page of orders.unfinished()) {
    for (const order of page) {
      await runner.start(
        order.id,
        { orderId: order.id, transition: resumeTransition(order) },
        order.deadline && !order.pending ? { firstWaitEndsAt: order.deadline } : {},
      );
    }
  }
  return runner;
}
