import { DomainError } from '#shared/domain/errors.ts';
import { isFinalRunStatus } from '#shared/domain/payout-run.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { payoutRunStore } from '../stores.ts';
import { payoutWorkflow } from '../workflows.ts';
import { toRunView } from './run-view.ts';

/**
 * A run whose execution failed (its alarm fired) or was lost carries on in a new execution, which
 * finds every seller's line as the last one left it: paid sellers are not paid again. Safe to call
 * while an execution still runs: the two pay each seller once between them.
 */
export const handler = httpHandler(routes.resumePayoutRun, async ({ params }) => {
  const run = await payoutRunStore.require(params.runId);
  if (isFinalRunStatus(run.status)) {
    throw new DomainError('conflict', 'payout_run_over', `Payout run ${run.runId} is ${run.status}.`);
  }
  await payoutWorkflow.start(`${run.runId}-resumed-${Date.now()}`, { runId: run.runId });
  return { status: 202, body: toRunView(run) };
});
