import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { orderRoutes } from '../routes/orders.ts';

export const handler = httpHandler(orderRoutes.listMyOrders, async ({ query, caller }) => ({
  status: 200,
  body: await orderStore.listForParticipant(caller.userId, query.limit, query.cursor),
}));
