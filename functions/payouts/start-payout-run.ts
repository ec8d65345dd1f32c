import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toRunView } from './run-view.ts';
import { startPayoutRun } from './start-run.ts';

export const handler = httpHandler(payoutRoutes.startPayoutRun, async ({ body, headers, caller }) => {
  const { run, created } = await startPayoutRun({
    startedBy: caller.userId,
    idempotencyKey: headers['idempotency-key'],
    currency: body.currency,
    ...(body.cutoff === undefined ? {} : { cutoff: body.cutoff }),
    dryRun: body.dryRun,
  });
  return {
    status: created ? 201 : 200,
    body: toRunView(run),
    headers: { location: `/payout-runs/${run.runId}` },
  };
});
