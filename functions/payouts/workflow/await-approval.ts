import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { payoutWorkflow } from '#shared/app/composition/workflows.ts';
import type { PayoutRun } from '#shared/store/payout-runs/run-and-line-types.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';

interface ApprovalWait {
  readonly runId: string;
  readonly taskToken: string;
  /** The execution waiting: `$$.Execution.Name`. */
  readonly execution: string;
  /** Set by the local runner (scaled clocks, resumed waits); in the cloud the wait starts now. */
  readonly deadline?: string;
}

/** The run's deadline while it lies ahead; a wait started after it (a resumed run) sets its own. */
function deadlineOf(run: PayoutRun, wait: ApprovalWait): string {
  const current = run.approval?.deadline;
  if (current && Date.parse(current) > Date.now()) return current;
  return wait.deadline ?? new Date(Date.now() + run.approvalTimeoutSeconds * 1000).toISOString();
}

/**
 * Stores the task token and its execution on the run, which now waits for a second finance user's
 * decision (POST /payout-runs/{runId}/approval) until its deadline; the latest wait stored is the
 * one whose timeout may expire the run. A run decided already (this wait is a retry, or a resumed
 * execution's) goes on at once with that decision.
 */
export const handler = taskHandler(payoutRun.tasks.AwaitApproval, async (wait: ApprovalWait) => {
  const run = await payoutRunStore.require(wait.runId);
  if (run.status === 'awaiting-approval') {
    await payoutRunStore.awaitApproval(run, {
      token: wait.taskToken,
      execution: wait.execution,
      deadline: deadlineOf(run, wait),
    });
  } else if (run.approval?.decision === 'approved') {
    await payoutWorkflow.sendTaskSuccess(wait.taskToken, {});
  } else {
    await payoutWorkflow.sendTaskFailure(
      wait.taskToken,
      'PayoutRunRejected',
      run.approval?.reason ?? run.status,
    );
  }
});
