import { orderVisibleTo, toOrderView } from '#shared/app/orders/order-view.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { orderRoutes } from '../routes/orders.ts';

export const handler = httpHandler(orderRoutes.getOrder, async ({ params, caller }) => ({
  status: 200,
  body: toOrderView(await orderVisibleTo(params.orderId, caller), caller),
}));
