import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { toLinePage } from '../routes/views/payout-run.ts';

export const handler = httpHandler(payoutRoutes.listMyPayouts, async ({ query, caller }) => ({
  status: 200,
  body: toLinePage(await payoutRunStore.sellerPayouts(caller.userId, query.limit, query.cursor)),
}));
