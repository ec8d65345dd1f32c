import { ledgerStore } from '#shared/app/composition/stores/ledger-store.ts';
import { idempotentHandler } from '#shared/app/idempotency/idempotent-handler.ts';
import { keyedId } from '#shared/app/idempotency/keyed-id.ts';
import { orderVisibleTo, toRefundView } from '#shared/app/orders/order-view.ts';
import { carryOutRefund, finishRefundInProgress, reserve } from '#shared/app/orders/refunds.ts';
import { recoverRefundFromPayouts } from '#shared/app/payouts/transfer-reversals.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import { linesLeftToRefund } from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { type OrderRefund, refundingParty, refundOf } from '#shared/domain/order-refunds.ts';
import { orderRoutes } from '../routes/orders.ts';

/**
 * Gives the buyer back money of a captured order: the seller until shipment, an admin at any time.
 * A refund of the order left pending by a request that died is finished first. The refund is
 * recorded as pending (checked against what the lines still hold), made at Stripe with an
 * idempotency key from the order and the refund's id (named by the caller's Idempotency-Key), then
 * recorded with its ledger transaction. A retry with the same key continues the same refund.
 */
export const handler = idempotentHandler(
  orderRoutes.refundOrder,
  async ({ params, body, caller }, idempotency) => {
    const order = await orderVisibleTo(params.orderId, caller);
    const party = refundingParty(order, caller);
    if (body.keepCommission !== undefined && party !== 'admin') {
      throw new DomainError('forbidden', 'admin_only_option', 'Only admins decide who bears a refund.');
    }
    const refundId = keyedId('re', caller.userId, idempotency.key);
    const { fingerprint } = idempotency;
    let refund = refundOf(order, refundId);
    if (refund && refund.fingerprint !== fingerprint) {
      throw new DomainError(
        'unprocessable',
        'idempotency_key_reused',
        'This Idempotency-Key was used for another refund of this order; use a new key for a new refund.',
      );
    }
    if (!refund) {
      const current = await finishRefundInProgress(order);
      const refundFee = !body.keepCommission;
      const lines =
        body.lines ??
        linesLeftToRefund(
          orderLedger(current, await ledgerStore.transactions(orderScope(current.id))),
          refundFee,
        );
      if (lines.length === 0) {
        throw new DomainError('conflict', 'nothing_to_refund', 'Nothing of this order is left to refund.');
      }
      refund = {
        refundId,
        status: 'pending',
        lines,
        amount: lines.reduce((sum, line) => sum + line.amount, 0),
        refundFee,
        ...(body.reason ? { reason: body.reason } : {}),
        by: { party, userId: caller.userId },
        fingerprint,
        requestedAt: new Date().toISOString(),
      } satisfies OrderRefund;
      await reserve(order.id, refund, idempotency.claim(refundId));
    }
    if (refund.status === 'pending') refund = await carryOutRefund(order, refund);
    // A retry after a request that died once the refund was recorded: finish taking it back from payouts.
    else if (refund.status === 'succeeded') await recoverRefundFromPayouts(order, refund.refundId);
    if (refund.status === 'failed') {
      throw new DomainError(
        'conflict',
        'refund_refused',
        `The payment provider refused the refund: ${refund.failure ?? 'no reason given'}.`,
      );
    }
    return { status: 201, body: toRefundView(refund) };
  },
);
