import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRunStore } from '../../stores.ts';

interface ApprovalWait {
  readonly runId: string;
  readonly taskToken: string;
  /** Set by the local runner (scaled clocks); in the cloud the wait starts now. */
  readonly deadline?: string;
}

/**
 * Stores the task token on the run, which now waits for a second finance user's decision
 * (POST /payout-runs/{runId}/approval) until its deadline.
 */
export const handler = taskHandler(async ({ runId, taskToken, deadline }: ApprovalWait) => {
  const run = await payoutRunStore.require(runId);
  const endsAt = deadline ?? new Date(Date.now() + run.approvalTimeoutSeconds * 1000).toISOString();
  await payoutRunStore.awaitApproval(runId, taskToken, endsAt);
});
