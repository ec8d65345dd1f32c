import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { payLine } from '#shared/app/payouts/payout-lines.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';

/**
 * One item of the run's Map: pays the seller, or records why not. Transient errors propagate, for
 * the Map's Retry and, once retries are spent, RecordPayoutFailure.
 */
export const handler = taskHandler(
  payoutRun.tasks.PaySeller,
  async ({ runId, sellerId }: { runId: string; sellerId: string }) => {
    const line = await payLine(await payoutRunStore.require(runId), sellerId);
    return { status: line.status };
  },
);
