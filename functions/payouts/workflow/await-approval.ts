import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { payoutRunStore } from '../../stores.ts';
import { payoutWorkflow } from '../../workflows.ts';

interface ApprovalWait {
  readonly runId: string;
  readonly taskToken: string;
  /** Set by the local runner (scaled clocks, resumed waits); in the cloud the wait starts now. */
  readonly deadline?: string;
}

/**
 * Stores the task token on the run, which now waits for a second finance user's decision
 * (POST /payout-runs/{runId}/approval) until its deadline. A run decided already (this wait is a
 * retry, or a resumed execution's) goes on at once with that decision.
 */
export const handler = taskHandler(
  payoutRun.tasks.AwaitApproval,
  async ({ runId, taskToken, deadline }: ApprovalWait) => {
    const run = await payoutRunStore.require(runId);
    if (run.status === 'awaiting-approval') {
      const endsAt =
        run.approval?.deadline ??
        deadline ??
        new Date(Date.now() + run.approvalTimeoutSeconds * 1000).toISOString();
      await payoutRunStore.awaitApproval(runId, taskToken, endsAt);
    } else if (run.approval?.decision === 'approved') {
      await payoutWorkflow.sendTaskSuccess(taskToken, {});
    } else {
      await payoutWorkflow.sendTaskFailure(
        taskToken,
        'PayoutRunRejected',
        run.approval?.reason ?? run.status,
      );
    }
  },
);
