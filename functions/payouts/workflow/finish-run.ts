import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import type { PayoutFailureRecord } from '#shared/store/payout-runs/run-and-line-types.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';

interface FinishInput {
  readonly runId: string;
  readonly outcome: 'completed' | 'expired' | 'rejected';
}

/** How many failed lines the run's summary names; the report lists every line. */
const failuresShown = 100;

async function failuresOf(runId: string): Promise<PayoutFailureRecord[]> {
  const failures: PayoutFailureRecord[] = [];
  for await (const lines of payoutRunStore.allLines(runId)) {
    for (const line of lines) {
      if (line.status === 'failed' && failures.length < failuresShown) {
        failures.push({
          sellerId: line.sellerId,
          amount: line.amount ?? line.plannedAmount,
          code: line.failure?.code ?? 'unknown',
          message: line.failure?.message ?? '',
        });
      }
    }
  }
  return failures;
}

/** Sellers of the run whose payment neither succeeded nor failed: the run must not end as if it had. */
class PayoutRunUnfinished extends Error {
  constructor(runId: string, left: number) {
    super(
      `${left} sellers of payout run ${runId} are neither paid, failed nor skipped; once the cause is ` +
        `fixed, resume the run (POST /payout-runs/${runId}/resume)`,
    );
    this.name = 'PayoutRunUnfinished';
  }
}

/**
 * The run is over: its status and failures recorded, its currency free for the next run. A run
 * whose Map left sellers unresolved fails the execution instead, for the operators' alarm, and
 * keeps its currency until it is resumed; a run not over (another execution carries it on) is left
 * as it is.
 */
export const handler = taskHandler(payoutRun.tasks.FinishRun, async ({ runId, outcome }: FinishInput) => {
  const run = await payoutRunStore.require(runId);
  const { paid, failed, skipped } = run.progress;
  const left = (run.selection?.eligibleCount ?? 0) - (paid + failed + skipped);
  if (outcome === 'completed' && run.status === 'paying' && left > 0)
    throw new PayoutRunUnfinished(runId, left);
  await payoutRunStore.finish(run, outcome, run.progress.failed > 0 ? await failuresOf(runId) : []);
  const finished = await payoutRunStore.require(runId);
  return { runId, status: finished.status, selection: finished.selection, progress: finished.progress };
});
