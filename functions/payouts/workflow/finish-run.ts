import type { PayoutFailureRecord } from '#shared/store/payout-run-store.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRunStore } from '../../stores.ts';

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

/** The run is over: its status and failures recorded, its currency free for the next run. */
export const handler = taskHandler(async ({ runId, outcome }: FinishInput) => {
  const run = await payoutRunStore.require(runId);
  await payoutRunStore.finish(run, outcome, run.progress.failed > 0 ? await failuresOf(runId) : []);
  const finished = await payoutRunStore.require(runId);
  return { runId, status: finished.status, selection: finished.selection, progress: finished.progress };
});
