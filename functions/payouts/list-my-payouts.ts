import { payoutRunStore } from '#shared/app/composition/stores.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { toLinePage } from '../routes/views/payout-run.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.listMyPayouts, async ({ query, caller }) => ({
  status: 200,
  body: toLinePage(await payoutRunStore.sellerPayouts(caller.userId, query.limit, query.cursor)),
}));
