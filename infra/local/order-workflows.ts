import { resumeTransition } from '#shared/domain/order.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import type { LocalTask } from './local-asl.ts';
import { forEachScanned, unfinishedOrders } from './table-scans.ts';
import { WorkflowRunner, type WorkflowRunnerOptions } from './workflow-runner.ts';

/** Runs a workflow task (`run`) on the runner's behalf: benchmarks count and time each run. */
export type TaskWrapper = (
  task: LocalTask,
  payload: unknown,
  run: () => Promise<unknown>,
) => Promise<unknown>;

export type LocalRunnerOptions = Pick<WorkflowRunnerOptions, 'msPerSecond' | 'invoke' | 'onTransition'>;

/** Each task runs the function of its handler module, wrapped by `wrap` if given. */
export function localRunnerOptions(
  invokeHandler: (handlerModule: string, event: unknown) => Promise<unknown>,
  msPerSecond?: number,
  wrap?: TaskWrapper,
): LocalRunnerOptions {
  const run = (task: LocalTask, payload: unknown) => invokeHandler(task.handler, payload);
  return {
    ...(msPerSecond === undefined ? {} : { msPerSecond }),
    invoke: wrap ? (task, payload) => wrap(task, payload, () => run(task, payload)) : run,
  };
}

export interface LocalWorkflows {
  /** The state machine's name in workflows/. */
  readonly name: string;
  readonly runner: WorkflowRunner;
  /** Starts again the execution of everything the table says is unfinished. */
  restartUnfinished(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the order-fulfillment ASL for the local functions, which reach it through the local Step
 * Functions endpoint; the table's stream drives it, as in the cloud. Executions do not survive a
 * restart here as they do in Step Functions, but the order records where its workflow stood: each
 * unfinished order's workflow starts again from there, a wait with its original deadline (one that
 * ended meanwhile times out at once).
 */
export async function startOrderWorkflows(
  endpoint: string,
  tableName: string,
  runnerOptions: LocalRunnerOptions,
): Promise<LocalWorkflows> {
  const runner = await WorkflowRunner.create({ workflow: orderFulfillment, ...runnerOptions });
  return {
    name: orderFulfillment.name,
    runner,
    restartUnfinished: () =>
      forEachScanned(
        endpoint,
        (client) => unfinishedOrders(client, tableName),
        (order) =>
          runner.start(
            order.id,
            { orderId: order.id, transition: resumeTransition(order) },
            order.deadline && !order.pending ? { firstWaitEndsAt: order.deadline } : {},
          ),
      ),
    stop: () => runner.stop(),
  };
}
