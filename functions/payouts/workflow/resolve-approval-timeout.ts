import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';

/**
 * What the execution does once its wait for approval timed out, for the Choice state after this
 * task: `superseded` (another execution's task waits for the run now: leave it), `completed` (a
 * decision approved the run as the wait ended: pay it), or `expired` / `rejected` (finish it).
 */
export type ApprovalTimeoutOutcome = 'superseded' | 'completed' | 'expired' | 'rejected';

/**
 * The wait of `execution` timed out: the run expires if it still waits for that execution's
 * decision, and only then. A decision that reached the run first is followed.
 */
export const handler = taskHandler(
  payoutRun.tasks.ResolveApprovalTimeout,
  async ({ runId, execution }: { runId: string; execution: string }): Promise<ApprovalTimeoutOutcome> => {
    const run = await payoutRunStore.expireApproval(runId, execution);
    if (run.approvalExecution !== execution) return 'superseded';
    if (run.status === 'expired' || run.status === 'rejected') return run.status;
    return 'completed';
  },
);
