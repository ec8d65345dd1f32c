import { DomainError } from '../../domain/errors.ts';
import { isFinalRunStatus } from '../../domain/payout-run.ts';
import { payoutLineKey } from '../entities/payout-line.ts';
import { countInWindow, settleInWindow } from './approval-window.ts';
import { holdsCurrencyLock, releaseCurrencyLock } from './currency-lock.ts';
import type { PayoutFailureRecord, PayoutRun, RunApproval, RunSelection } from './run-and-line-types.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';
import { transition, transitionIf, transitionWith } from './run-transitions.ts';

/**
 * Ends the selection: the run waits for approval, pays, or (a dry run) is complete. A run that
 * moves money is counted in its currency's approval window for what it selected, in the same
 * transaction, and only while it still holds its currency's slot: no other run of the currency can
 * read or change the window between the run's reading it and this write.
 */
export const recordSelection = async (
  table: PayoutRunTable,
  run: PayoutRun,
  selection: RunSelection,
  next: 'awaiting-approval' | 'paying' | 'completed',
  approval: RunApproval,
): Promise<void> => {
  const change = {
    from: ['selecting'] as const,
    set: {
      status: next,
      selection,
      approval,
      ...(next === 'completed' ? { finishedAt: new Date().toISOString() } : {}),
    },
  };
  if (run.dryRun) return transition(table, run.runId, change);
  await transitionWith(table, run.runId, change, [
    { item: countInWindow(table, run, selection.eligibleAmount) },
    {
      item: holdsCurrencyLock(table, run),
      refused: () =>
        new DomainError(
          'conflict',
          'payout_run_not_active',
          `Payout run ${run.runId} no longer holds the ${run.currency} slot, which one run at a time holds.`,
        ),
    },
  ]);
};

/** The run waits for a decision with this task, of this execution, until `deadline`. */
export const awaitApproval = async (
  table: PayoutRunTable,
  run: PayoutRun,
  wait: { readonly token: string; readonly execution: string; readonly deadline: string },
): Promise<void> => {
  await transition(table, run.runId, {
    from: ['awaiting-approval'],
    set: {
      approvalToken: wait.token,
      approvalExecution: wait.execution,
      approval: { ...run.approval, required: true, deadline: wait.deadline },
    },
  });
};

/**
 * Records a finance user's decision on a run awaiting it; the run pays or is rejected. Refused to
 * a payee of the run: one whose line in it is not skipped (a GetItem's worth of condition on the
 * line keyed by the run and the approver, in the same transaction).
 */
export const decide = async (
  table: PayoutRunTable,
  run: PayoutRun,
  approval: RunApproval & { readonly decidedBy: string },
): Promise<void> => {
  const rejected = approval.decision === 'rejected';
  await transitionWith(
    table,
    run.runId,
    {
      from: ['awaiting-approval'],
      set: {
        status: rejected ? 'rejected' : 'paying',
        approval,
        ...(rejected ? { finishedAt: approval.decidedAt } : {}),
      },
    },
    [
      {
        item: {
          ConditionCheck: {
            TableName: table.tableName,
            Key: payoutLineKey(run.runId, approval.decidedBy),
            ConditionExpression: 'attribute_not_exists(PK) OR #status = :skipped',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':skipped': 'skipped' },
          },
        },
        refused: () =>
          new DomainError(
            'forbidden',
            'approval_by_payee',
            `${approval.decidedBy} is paid by this run, so another finance user must decide it.`,
          ),
      },
    ],
  );
  if (rejected) await closeRun(table, { ...run, status: 'rejected' });
};

/**
 * The wait of `execution` timed out: the run expires if it still waits for a decision with a task
 * of that execution. A run decided meanwhile, or waiting in another execution's task, is left as it
 * is. Answers the run as it stands.
 */
export const expireApproval = (table: PayoutRunTable, runId: string, execution: string) =>
  transitionIf(table, runId, {
    from: ['awaiting-approval'],
    set: { status: 'expired', finishedAt: new Date().toISOString() },
    also: { condition: 'approvalExecution = :execution', values: { ':execution': execution } },
  });

/**
 * The run reached its end: a paying run completes with its failures for the record; a run rejected
 * or expired was ended by its decision or its wait. Its currency may then run again. A run not over
 * (another execution carries it on) is left as it is, its slot with it.
 */
export const finishRun = async (
  table: PayoutRunTable,
  run: PayoutRun,
  outcome: 'completed' | 'expired' | 'rejected',
  failures: PayoutFailureRecord[],
): Promise<void> => {
  let finished = run;
  if (outcome === 'completed' && run.status === 'paying') {
    await transition(table, run.runId, {
      from: ['paying'],
      set: { status: 'completed', failures, finishedAt: new Date().toISOString() },
    });
    finished = { ...run, status: 'completed' };
  }
  if (isFinalRunStatus(finished.status)) await closeRun(table, finished);
};

/** An ended run counts for what it paid, and frees its currency's slot. */
const closeRun = async (table: PayoutRunTable, run: PayoutRun): Promise<void> => {
  if (run.dryRun) return;
  await settleInWindow(table, run, run.status === 'completed' ? run.progress.paidAmount : 0);
  await releaseCurrencyLock(table, run);
};
