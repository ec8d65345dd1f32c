import type { FunctionResources } from '#shared/config/function-resources.ts';
import { payoutRunStart } from './payout-run-start.ts';

/**
 * Scheduled payout runs: an EventBridge schedule per currency (CDK context `payoutSchedule`, `payoutScheduleCurrencies`, `payoutScheduleTimezone`)
 * invokes this function, which starts the run as a finance user's request would.
 */
export const scheduledPayoutRuns = {
  handler: 'payouts/start-scheduled-run',
  uses: payoutRunStart,
} as const satisfies { handler: string; uses: FunctionResources };
