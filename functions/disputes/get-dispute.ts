import { disputeOf } from '#shared/app/orders/disputes.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { disputeRoutes } from '../routes/disputes.ts';

export const handler = httpHandler(disputeRoutes.getDispute, async ({ params, caller }) => ({
  status: 200,
  body: await disputeOf(params.orderId, caller),
}));
