import { FileItemLists } from '#shared/item-lists/files.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { PayoutRunStore } from '#shared/store/payout-run-store.ts';
import { registerInProcessWorkflow } from '#shared/workflows/in-process.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { WorkflowRunner } from './workflow-runner.ts';

/**
 * Runs the payout-run ASL in-process, its Distributed Map as an inline Map over the item list
 * SelectSellers wrote to `itemListDirectory`. Executions do not survive a restart here as they do
 * in Step Functions: each unfinished run starts again, and finds in the table (and at Stripe) what
 * it had done; a run waiting for approval keeps its deadline.
 */
export async function startPayoutWorkflows(
  endpoint: string,
  tableName: string,
  itemListDirectory: string,
  msPerSecond?: number,
): Promise<WorkflowRunner> {
  const runner = await WorkflowRunner.create({
    workflow: payoutRun,
    itemLists: new FileItemLists(itemListDirectory),
    ...(msPerSecond === undefined ? {} : { msPerSecond }),
  });
  registerInProcessWorkflow(payoutRun.name, runner);
  const client = createDocumentClient(endpoint);
  try {
    const runs = new PayoutRunStore(client, tableName, new LedgerStore(client, tableName));
    for await (const run of runs.unfinished()) {
      const deadline = run.status === 'awaiting-approval' ? run.approval?.deadline : undefined;
      await runner.start(run.runId, { runId: run.runId }, deadline ? { firstWaitEndsAt: deadline } : {});
    }
  } finally {
    client.destroy();
  }
  return runner;
}
