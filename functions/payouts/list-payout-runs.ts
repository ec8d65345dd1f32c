import { payoutRunStore } from '#shared/app/composition/stores.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { toRunSummaryView } from '../routes/views/payout-run.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.listPayoutRuns, async ({ query }) => {
  const page = await payoutRunStore.list(query.limit, query.cursor);
  return { status: 200, body: { ...page, items: page.items.map(toRunSummaryView) } };
});
