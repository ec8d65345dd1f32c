import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { payoutRunStore } from '../stores.ts';

export const handler = httpHandler(routes.listMyPayouts, async ({ query, caller }) => ({
  status: 200,
  body: await payoutRunStore.sellerPayouts(caller.userId, query.limit, query.cursor),
}));
