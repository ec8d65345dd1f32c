import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { payoutWorkflow } from '#shared/app/composition/workflows.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { isFinalRunStatus } from '#shared/domain/payout-run.ts';
import { httpHandler } from '#shared/http/handler.ts';
import type { PayoutRun } from '#shared/store/payout-runs/run-and-line-types.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toRunView } from '../routes/views/payout-run.ts';

/**
 * The deadline of the wait for approval the run has registered, while it lies ahead. Step Functions
 * ends a waiting task only at its timeout (or when its execution is stopped), so until then the
 * execution waiting is taken to be alive.
 */
function openWaitDeadline(run: PayoutRun, now: number): string | undefined {
  const deadline = run.approval?.deadline;
  const open =
    run.status === 'awaiting-approval' && run.approvalToken && deadline && Date.parse(deadline) > now;
  return open ? deadline : undefined;
}

/**
 * A run whose execution failed (its alarm fired) or was lost carries on in a new execution, which
 * finds every seller's line as the last one left it: paid sellers are not paid again. Safe to call
 * while an execution still pays: the two pay each seller once between them. A run waiting for
 * approval is not resumed while its wait runs: it is decided instead.
 */
export const handler = httpHandler(payoutRoutes.resumePayoutRun, async ({ params }) => {
  const run = await payoutRunStore.require(params.runId);
  if (isFinalRunStatus(run.status)) {
    throw new DomainError('conflict', 'payout_run_over', `Payout run ${run.runId} is ${run.status}.`);
  }
  const waitingUntil = openWaitDeadline(run, Date.now());
  if (waitingUntil) {
    throw new DomainError(
      'conflict',
      'payout_run_awaiting_approval',
      `Payout run ${run.runId} waits for approval until ${waitingUntil}: approve or reject it ` +
        `(POST /payout-runs/${run.runId}/approval) rather than resume it.`,
    );
  }
  await payoutWorkflow.start(`${run.runId}-resumed-${Date.now()}`, { runId: run.runId });
  return { status: 202, body: toRunView(run) };
});
