import { orderStore } from '#shared/app/composition/stores.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.listMyOrders, async ({ query, caller }) => ({
  status: 200,
  body: await orderStore.listForParticipant(caller.userId, query.limit, query.cursor),
}));
