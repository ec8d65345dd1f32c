import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';
import { payoutRunStore } from '../stores/payout-run-store.ts';
import { toLinePage } from './run-view.ts';

export const handler = httpHandler(payoutRoutes.listMyPayouts, async ({ query, caller }) => ({
  status: 200,
  body: toLinePage(await payoutRunStore.sellerPayouts(caller.userId, query.limit, query.cursor)),
}));
