import { reviewWindow } from '#workflows/review-window.ts';
import type { LocalRunnerOptions, LocalWorkflows } from './order-workflows.ts';
import { forEachScanned, openReviewWindows } from './table-scans.ts';
import { WorkflowRunner } from './workflow-runner.ts';

/**
 * Runs the review-window ASL. Its wait is until a timestamp, the same on any workflow clock: tests
 * shorten windows with the REVIEW_WINDOW_SECONDS setting. Executions do not survive a restart here:
 * each window still open starts its timer again, to the time it closes.
 */
export async function startReviewWorkflows(
  endpoint: string,
  tableName: string,
  runnerOptions: LocalRunnerOptions,
): Promise<LocalWorkflows> {
  const runner = await WorkflowRunner.create({ workflow: reviewWindow, ...runnerOptions });
  return {
    name: reviewWindow.name,
    runner,
    restartUnfinished: () =>
      forEachScanned(
        endpoint,
        (client) => openReviewWindows(client, tableName),
        ({ orderId, closesAt }) => runner.start(orderId, { orderId, closesAt }),
      ),
    stop: () => runner.stop(),
  };
}
