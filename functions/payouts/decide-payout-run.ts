import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { payoutWorkflow } from '#shared/app/composition/workflows.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { checkApprover } from '#shared/domain/payout-run.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toRunView } from '../routes/views/payout-run.ts';

/**
 * A second finance user, not paid by the run, approves or rejects a run waiting for it. The decision
 * is recorded on the run, then resumes the waiting task; repeating the same decision resumes it
 * again harmlessly. A task no longer waiting needs no telling: a renewed wait (a retried task, a
 * resumed execution) finds the decision on the run, and a wait that timed out as the decision was
 * recorded follows it (ResolveApprovalTimeout).
 */
export const handler = httpHandler(payoutRoutes.decidePayoutRun, async ({ params, body, caller }) => {
  const run = await payoutRunStore.require(params.runId);
  checkApprover(run.startedBy, caller.userId);
  const decision = body.decision === 'approve' ? 'approved' : 'rejected';
  const repeated = run.approval?.decision === decision && run.approval.decidedBy === caller.userId;
  if (!repeated) {
    if (run.status !== 'awaiting-approval') {
      throw new DomainError(
        'conflict',
        'payout_run_not_awaiting_approval',
        `Payout run ${run.runId} is ${run.status}.`,
      );
    }
    if (!run.approvalToken) {
      throw new DomainError(
        'conflict',
        'approval_not_ready',
        'The run is about to wait for approval; try again in a few seconds.',
      );
    }
    await payoutRunStore.decide(run, {
      ...run.approval,
      required: true,
      decision,
      decidedBy: caller.userId,
      decidedAt: new Date().toISOString(),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
  }
  if (run.approvalToken) {
    try {
      if (decision === 'approved') await payoutWorkflow.sendTaskSuccess(run.approvalToken, {});
      else
        await payoutWorkflow.sendTaskFailure(
          run.approvalToken,
          'PayoutRunRejected',
          body.reason ?? 'rejected',
        );
    } catch (error) {
      if (!(error instanceof TaskNoLongerWaiting)) throw error;
    }
  }
  return { status: 200, body: toRunView(await payoutRunStore.require(params.runId)) };
});
