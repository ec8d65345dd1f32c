import type { FunctionResources } from '#shared/config/function-resources.ts';

/** The operator's payout settings, which each run records when it starts. */
export interface PayoutRunSettings {
  /** Sellers with less available (in minor units) are not paid by a run. */
  readonly minimumAmount: number;
  /** A run paying more than this in total (minor units) waits for a second finance user's approval. */
  readonly approvalThreshold: number;
  /** How long a run waits for that approval before it expires. */
  readonly approvalTimeoutSeconds: number;
  /** Sellers a run pays at once. */
  readonly concurrency: number;
}

/** The settings as the environment shared/app/payouts/payout-settings.ts reads them from. */
export function payoutRunEnvironment(settings: PayoutRunSettings): Record<string, string> {
  return {
    PAYOUT_MINIMUM_AMOUNT: String(settings.minimumAmount),
    PAYOUT_APPROVAL_THRESHOLD: String(settings.approvalThreshold),
    PAYOUT_APPROVAL_TIMEOUT_SECONDS: String(settings.approvalTimeoutSeconds),
    PAYOUT_CONCURRENCY: String(settings.concurrency),
  };
}

/** Whether a function reads the payout settings: those that start payout runs declare it. */
export const readsPayoutSettings = (uses: FunctionResources): boolean => uses.payoutSettings === true;
