import { orderWorkflowDriverHandler } from '#functions/routes.ts';
import { resumeTransition } from '#shared/domain/order.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { OrderStore } from '#shared/store/order-store.ts';
import { registerInProcessWorkflow } from '#shared/workflows/in-process.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { loadHandler } from './handler-loader.ts';
import { type StreamHandler, startStreamPoller } from './stream-poller.ts';
import { WorkflowRunner } from './workflow-runner.ts';

export interface OrderWorkflows {
  readonly runner: WorkflowRunner;
  stop(): Promise<void>;
}

/** Every unfinished order's workflow, started again where the stored order says it stands. */
async function restartUnfinished(orders: OrderStore, runner: WorkflowRunner): Promise<void> {
  for await (const page of orders.unfinished()) {
    for (const order of page) {
      await runner.start(
        order.id,
        { orderId: order.id, transition: resumeTransition(order) },
        order.deadline && !order.pending ? { firstWaitEndsAt: order.deadline } : {},
      );
    }
  }
}

/**
 * Runs the order-fulfillment ASL in-process for the local functions, driven from the table's stream
 * by the same handler as in the cloud. Executions do not survive a restart here as they do in Step
 * Functions, but the order records where its workflow stood: each unfinished order's workflow starts
 * again from there, a wait with its original deadline (one that ended meanwhile times out at once).
 */
export async function startOrderWorkflows(
  endpoint: string,
  tableName: string,
  msPerSecond?: number,
): Promise<OrderWorkflows> {
  const runner = await WorkflowRunner.create({
    workflow: orderFulfillment,
    ...(msPerSecond === undefined ? {} : { msPerSecond }),
  });
  registerInProcessWorkflow(orderFulfillment.name, runner);
  const driver = await startStreamPoller({
    endpoint,
    tableName,
    handler: await loadHandler<StreamHandler>(orderWorkflowDriverHandler),
  });
  const client = createDocumentClient(endpoint);
  try {
    await restartUnfinished(new OrderStore(client, tableName), runner);
  } finally {
    client.destroy();
  }
  return {
    runner,
    async stop() {
      await driver.stop();
      await runner.stop();
    },
  };
}
