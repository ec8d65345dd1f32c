import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { orderVisibleTo, toOrderView } from './order-view.ts';

export const handler = httpHandler(routes.getOrder, async ({ params, caller }) => ({
  status: 200,
  body: toOrderView(await orderVisibleTo(params.orderId, caller), caller),
}));
