import { startPayoutRun } from '#shared/app/payouts/start-run.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { toRunView } from '../routes/views/payout-run.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.startPayoutRun, async ({ body, headers, caller }) => {
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
