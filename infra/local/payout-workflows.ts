import { S3Client } from '@aws-sdk/client-s3';
import { S3ItemLists } from '#shared/item-lists/s3.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { localAccount, localAdministrator } from './aws/authorization.ts';
import type { LocalAwsServices } from './aws-services.ts';
import type { LocalRunnerOptions, LocalWorkflows } from './order-workflows.ts';
import { WorkflowRunner } from './workflow-runner.ts';

/**
 * Runs the payout-run ASL, its Distributed Map reading the item list SelectSellers wrote to the
 * local S3, as Step Functions reads it. Executions do not survive a restart here as they do in Step
 * Functions: each unfinished run starts again, and finds in the table (and at Stripe) what it had
 * done; a run waiting for approval keeps its deadline.
 */
export async function startPayoutWorkflows(
  aws: LocalAwsServices,
  dynamoDbEndpoint: string,
  tableName: string,
  runnerOptions: LocalRunnerOptions,
): Promise<LocalWorkflows> {
  const s3 = new S3Client({
    endpoint: aws.s3.url,
    region: localAccount.region,
    credentials: localAdministrator,
  });
  const runner = await WorkflowRunner.create({
    workflow: payoutRun,
    // The bucket in each item list's location is the one SelectSellers wrote to.
    itemLists: new S3ItemLists(s3, ''),
    ...runnerOptions,
  });
  return {
    name: payoutRun.name,
    runner,
    async restartUnfinished() {
      const client = createDocumentClient(dynamoDbEndpoint);
      try {
        const runs = new PayoutRunStore(client, tableName, new LedgerStore(client, tableName));
        for await (const run of runs.unfinished()) {
          const deadline = run.status === 'awaiting-approval' ? run.approval?.deadline : undefined;
          await runner.start(run.runId, { runId: run.runId }, deadline ? { firstWaitEndsAt: deadline } : {});
        }
      } finally {
        client.destroy();
      }
    },
    async stop() {
      await runner.stop();
      s3.destroy();
    },
  };
}
