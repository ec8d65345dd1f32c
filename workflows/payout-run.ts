import { fileURLToPath } from 'node:url';
import type { WorkflowDefinition } from './workflow.ts';

/** Reading and writing a run, its lines and progress, and posting (or reversing) ledger transfers. */
const runAndLedger = ['GetItem', 'Query', 'UpdateItem', 'ConditionCheckItem'] as const;

/**
 * The payout-run state machine: its ASL file and, for each Task state, the handler module that runs
 * it. Its Map reads the sellers to pay from an item list (S3 in the cloud, a file locally).
 */
export const payoutRun = {
  name: 'payout-run',
  definitionFile: fileURLToPath(new URL('payout-run.asl.json', import.meta.url)),
  tasks: {
    SelectSellers: {
      handler: 'payouts/workflow/select-sellers',
      callback: false,
      // The payable index and each seller's balances, account and hold, one line per seller, the runs
      // the approval threshold counts, then in one transaction the selection, the run's count among
      // them and the check that it still holds its currency's slot.
      uses: {
        table: ['GetItem', 'BatchGetItem', 'PutItem', 'Query', 'UpdateItem', 'ConditionCheckItem'],
        itemLists: 'write',
      },
    },
    AwaitApproval: {
      handler: 'payouts/workflow/await-approval',
      callback: true,
      uses: { table: ['Query', 'UpdateItem'], workflow: { name: 'payout-run', actions: ['signal'] } },
    },
    ResolveApprovalTimeout: {
      handler: 'payouts/workflow/resolve-approval-timeout',
      callback: false,
      // Expires the run only if it still waits for this execution: the answer is the run as it stands.
      uses: { table: ['UpdateItem'] },
    },
    PaySeller: {
      handler: 'payouts/workflow/pay-seller',
      callback: false,
      uses: { table: [...runAndLedger, 'BatchGetItem', 'PutItem'], stripe: true },
    },
    RecordPayoutFailure: {
      handler: 'payouts/workflow/record-payout-failure',
      callback: false,
      uses: { table: [...runAndLedger, 'PutItem'], stripe: true },
    },
    FinishRun: {
      handler: 'payouts/workflow/finish-run',
      callback: false,
      uses: { table: ['Query', 'UpdateItem', 'DeleteItem'] },
    },
  },
} as const satisfies WorkflowDefinition;
