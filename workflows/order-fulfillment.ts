import { fileURLToPath } from 'node:url';
import type { WorkflowDefinition } from './workflow.ts';

/**
 * What settling a checkout's payment takes: Stripe, the checkout, its orders (their versions
 * checked with the capture) and their ledger postings.
 */
export const checkoutSettlement = {
  table: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
  stripe: true,
} as const;

/**
 * The order-fulfillment state machine: its ASL file and, for each Task state, the handler module
 * that runs it. The ASL names each task's function `${StateName}`; CDK substitutes the function's
 * ARN, the local runner calls the same module in-process.
 */
export const orderFulfillment = {
  name: 'order-fulfillment',
  definitionFile: fileURLToPath(new URL('order-fulfillment.asl.json', import.meta.url)),
  // Order changes are transactions of Puts (order, participants, event) after a GetItem; a wait is one
  // UpdateItem of the order; payments, restocking and ledger balances update items; a capture checks
  // its orders' versions and a cancellation the checkout's capture (ConditionCheck); the ledger's
  // transactions of an order are a Query.
  tasks: {
    AwaitPayment: {
      handler: 'orders/workflow/await-payment',
      callback: true,
      uses: {
        table: ['GetItem', 'PutItem', 'UpdateItem'],
        workflow: { name: 'order-fulfillment', actions: ['signal'] },
      },
    },
    AwaitStep: {
      handler: 'orders/workflow/await-step',
      callback: true,
      uses: {
        table: ['UpdateItem'],
        workflow: { name: 'order-fulfillment', actions: ['signal'] },
      },
    },
    AwaitCapture: {
      handler: 'orders/workflow/await-capture',
      callback: true,
      uses: { ...checkoutSettlement, workflow: { name: 'order-fulfillment', actions: ['signal'] } },
    },
    ResolveTimeout: {
      handler: 'orders/workflow/resolve-timeout',
      callback: false,
      uses: checkoutSettlement,
    },
    CompleteOrder: {
      handler: 'orders/workflow/complete-order',
      callback: false,
      // Then the order's review window: put once, and its timer started.
      uses: {
        table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
        workflow: { name: 'review-window', actions: ['start'] },
        reviewSettings: true,
      },
    },
    CancelOrder: {
      handler: 'orders/workflow/cancel-order',
      callback: false,
      uses: { ...checkoutSettlement, table: [...checkoutSettlement.table, 'Query'] },
    },
  },
} as const satisfies WorkflowDefinition;
