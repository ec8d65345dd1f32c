import * as z from 'zod';
import type { PayoutPolicy } from '#shared/domain/payout-run.ts';

export interface PayoutSettings {
  readonly policy: PayoutPolicy;
  /** Sellers paid at once by a run's Map state. */
  readonly concurrency: number;
  /** How long a run waits for a second finance user's approval before it expires. */
  readonly approvalTimeoutSeconds: number;
}

const minorUnits = z.coerce.number().int().min(0);

/**
 * 30 days: the wait for approval counts in the run's execution, which Step Functions ends after a
 * year, and a run waiting this long blocks its currency meanwhile.
 */
export const maxApprovalTimeoutSeconds = 30 * 86_400;

const settingsSchema = z.object({
  PAYOUT_MINIMUM_AMOUNT: minorUnits.default(1000),
  PAYOUT_APPROVAL_THRESHOLD: minorUnits.default(1_000_000),
  PAYOUT_APPROVAL_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(maxApprovalTimeoutSeconds)
    .default(86_400),
  PAYOUT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
});

/** The operator's payout settings, from the environment CDK context or the local stack sets. */
export function payoutSettings(environment: NodeJS.ProcessEnv = process.env): PayoutSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid payout settings: ${z.prettifyError(parsed.error)}`);
  const settings = parsed.data;
  return {
    policy: {
      minimumPayout: settings.PAYOUT_MINIMUM_AMOUNT,
      approvalThreshold: settings.PAYOUT_APPROVAL_THRESHOLD,
    },
    concurrency: settings.PAYOUT_CONCURRENCY,
    approvalTimeoutSeconds: settings.PAYOUT_APPROVAL_TIMEOUT_SECONDS,
  };
}
