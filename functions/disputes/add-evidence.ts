import { addEvidence } from '#shared/app/orders/disputes.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { disputeRoutes } from '../routes/disputes.ts';

export const handler = httpHandler(disputeRoutes.addDisputeEvidence, async ({ params, body, caller }) => ({
  status: 201,
  body: await addEvidence(params.orderId, caller, body),
}));
