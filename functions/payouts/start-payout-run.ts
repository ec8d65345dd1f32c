import { idempotentHandler } from '#shared/app/idempotency/idempotent-handler.ts';
import { startPayoutRun } from '#shared/app/payouts/start-run.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toRunView } from '../routes/views/payout-run.ts';

export const handler = idempotentHandler(
  payoutRoutes.startPayoutRun,
  async ({ body, caller }, idempotency) => {
    const { run, created } = await startPayoutRun(
      {
        startedBy: caller.userId,
        idempotencyKey: idempotency.key,
        currency: body.currency,
        ...(body.cutoff === undefined ? {} : { cutoff: body.cutoff }),
        dryRun: body.dryRun,
      },
      new Date(),
      // A retry of a start that claimed its key finds the run made: nothing to claim again.
      idempotency.resumes ? undefined : idempotency.claim,
    );
    return {
      // Resumed, the run is this key's first request's: answered as that request is. Not created and
      // not resumed, the key's record expired and the run was made by its request long ago.
      status: created || idempotency.resumes ? 201 : 200,
      body: toRunView(run),
      headers: { location: `/payout-runs/${run.runId}` },
    };
  },
);
