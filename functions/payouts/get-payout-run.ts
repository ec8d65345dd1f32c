import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toLinePage, toRunView } from '../routes/views/payout-run.ts';

/** The run, its progress, and one page of its lines (by seller id, optionally of one status). */
export const handler = httpHandler(payoutRoutes.getPayoutRun, async ({ params, query }) => {
  const run = await payoutRunStore.require(params.runId);
  const lines = await payoutRunStore.lines(run.runId, {
    limit: query.limit,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    ...(query.status === undefined ? {} : { status: query.status }),
  });
  return { status: 200, body: { ...toRunView(run), lines: toLinePage(lines) } };
});
