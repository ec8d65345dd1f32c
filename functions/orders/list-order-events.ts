import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { orderVisibleTo } from '#shared/app/orders/order-view.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { orderRoutes } from '../routes/orders.ts';

export const handler = httpHandler(orderRoutes.listOrderEvents, async ({ params, query, caller }) => {
  await orderVisibleTo(params.orderId, caller);
  return { status: 200, body: await orderStore.events(params.orderId, query.limit, query.cursor) };
});
