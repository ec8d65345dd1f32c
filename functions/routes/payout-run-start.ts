import type { FunctionResources } from '#shared/config/function-resources.ts';

/** What starting a payout run takes: the run, its currency's active-run slot, and the workflow. */
export const payoutRunStart = {
  table: ['GetItem', 'PutItem', 'Query'],
  workflow: { name: 'payout-run', actions: ['start'] },
  payoutSettings: true,
} as const satisfies FunctionResources;
