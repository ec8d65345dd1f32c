import { httpHandler } from '#shared/http/handler.ts';
import { orderRoutes } from '../routes/orders.ts';
import { orderStore } from '../stores/order-store.ts';
import { orderVisibleTo } from './order-view.ts';

export const handler = httpHandler(orderRoutes.listOrderEvents, async ({ params, query, caller }) => {
  await orderVisibleTo(params.orderId, caller);
  return { status: 200, body: await orderStore.events(params.orderId, query.limit, query.cursor) };
});
