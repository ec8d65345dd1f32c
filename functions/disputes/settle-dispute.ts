import { idempotentHandler } from '#shared/app/idempotency/idempotent-handler.ts';
import { settleDispute } from '#shared/app/orders/dispute-settlement.ts';
import { orderVisibleTo } from '#shared/app/orders/order-view.ts';
import { disputeRoutes } from '../routes/disputes.ts';

/**
 * An admin settles the order's dispute: part refunded to the buyer, the rest released to the
 * payees. A retry with the same Idempotency-Key continues the same settlement, never refunds twice.
 */
export const handler = idempotentHandler(
  disputeRoutes.settleDispute,
  async ({ params, body, caller }, idempotency) => {
    const order = await orderVisibleTo(params.orderId, caller);
    const settlement = await settleDispute(order, caller, body, idempotency);
    const { fingerprint: _fingerprint, ...view } = settlement;
    return { status: 201, body: { orderId: order.id, ...view } };
  },
);
