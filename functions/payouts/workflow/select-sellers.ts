import { itemLists } from '#shared/app/composition/item-lists.ts';
import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { selectSellers } from '#shared/app/payouts/selection.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';

/** Where the run goes next: the Choice state after SelectSellers reads it. */
export type RunRoute = 'await-approval' | 'pay' | 'finish';

/**
 * Selects the run's sellers once (an execution resuming the run finds them selected), then lists
 * the sellers still to pay for the Map state, as an item list it reads from S3.
 */
export const handler = taskHandler(payoutRun.tasks.SelectSellers, async ({ runId }: { runId: string }) => {
  let run = await payoutRunStore.require(runId);
  if (run.status === 'selecting') {
    await selectSellers(run);
    run = await payoutRunStore.require(runId);
  }
  const route: RunRoute =
    run.status === 'awaiting-approval' ? 'await-approval' : run.status === 'paying' ? 'pay' : 'finish';
  if (route === 'finish') return { route, outcome: run.status };
  const toPay: string[] = [];
  for await (const lines of payoutRunStore.allLines(runId)) {
    toPay.push(
      ...lines
        .filter((line) => ['planned', 'transferring'].includes(line.status))
        .map((line) => line.sellerId),
    );
  }
  const list = await itemLists.write(`payout-runs/${runId}/${new Date().toISOString()}.json`, toPay);
  return {
    route,
    outcome: 'completed',
    sellers: list,
    concurrency: run.concurrency,
    approvalTimeoutSeconds: run.approvalTimeoutSeconds,
  };
});
