import { httpHandler } from '#shared/http/handler.ts';
import { orderRoutes } from '../routes/orders.ts';
import { orderStore } from '../stores/order-store.ts';

export const handler = httpHandler(orderRoutes.listMyOrders, async ({ query, caller }) => ({
  status: 200,
  body: await orderStore.listForParticipant(caller.userId, query.limit, query.cursor),
}));
