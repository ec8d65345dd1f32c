import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toRunSummaryView } from '../routes/views/payout-run.ts';

export const handler = httpHandler(payoutRoutes.listPayoutRuns, async ({ query }) => {
  const page = await payoutRunStore.list(query.limit, query.cursor);
  return { status: 200, body: { ...page, items: page.items.map(toRunSummaryView) } };
});
