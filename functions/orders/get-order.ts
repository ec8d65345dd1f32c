import { httpHandler } from '#shared/http/handler.ts';
import { orderRoutes } from '../routes/orders.ts';
import { orderVisibleTo, toOrderView } from './order-view.ts';

export const handler = httpHandler(orderRoutes.getOrder, async ({ params, caller }) => ({
  status: 200,
  body: toOrderView(await orderVisibleTo(params.orderId, caller), caller),
}));
