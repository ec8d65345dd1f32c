import * as z from 'zod';
import { startPayoutRun } from '#shared/app/payouts/start-run.ts';
import { assertConfigured } from '#shared/config/function-resources.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { scheduledPayoutRuns } from '../routes/scheduled-payout-runs.ts';
import { currencySchema } from '../routes/schemas/catalog.ts';

/** What the EventBridge schedule sends: its currency and `<aws.scheduler.scheduled-time>`. */
const scheduledStart = z.object({
  currency: currencySchema,
  scheduledTime: z.iso.datetime({ offset: true }),
});

/**
 * A scheduled payout run, started as a finance user would (approval by any finance user). The
 * schedule's time names the run, so a schedule delivered twice starts it once.
 */
assertConfigured(scheduledPayoutRuns.handler, scheduledPayoutRuns.uses);

export const handler = eventEntryPoint(async (event: unknown): Promise<{ runId: string }> => {
  const { currency, scheduledTime } = scheduledStart.parse(event);
  const { run, created } = await startPayoutRun({
    startedBy: 'schedule',
    idempotencyKey: `schedule:${currency}:${scheduledTime}`,
    currency,
    dryRun: false,
  });
  logger.info('scheduled payout run', { runId: run.runId, created, currency, scheduledTime });
  return { runId: run.runId };
});
