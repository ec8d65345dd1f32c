import type { Caller } from '#shared/domain/caller.ts';
import {
  planSettlement,
  recordSettlement,
  type SettlementRequest,
} from '#shared/domain/dispute-settlement.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import { linesLeftToRefund, refundOrder } from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { type Actor, chooseAction, type Order, recordAction } from '#shared/domain/order.ts';
import { type DisputeSettlement, inDisputeStep } from '#shared/domain/order-disputes.ts';
import { type OrderRefund, refundOf, reserveRefund } from '#shared/domain/order-refunds.ts';
import { IdempotencyKeyTaken } from '#shared/store/idempotency-records.ts';
import { disputeStore } from '../composition/stores/dispute-store.ts';
import { ledgerStore } from '../composition/stores/ledger-store.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import type { IdempotentRequest } from '../idempotency/idempotent-handler.ts';
import { keyedId } from '../idempotency/keyed-id.ts';
import { recoverRefundFromPayouts } from '../payouts/transfer-reversals.ts';
import { changeWithLedger } from './order-ledger.ts';
import { carryOutRefund, finishRefundInProgress } from './refunds.ts';

const adminActor = (caller: Caller): Actor => ({ party: 'admin', userId: caller.userId });

/**
 * Records the admin's settlement with its audit entry and the claim of its Idempotency-Key, in one
 * transaction that holds only if the order has not moved since it was planned. A partial refund is
 * reserved in that transaction too, checked against the ledger as read with the order.
 */
async function record(
  order: Order,
  caller: Caller,
  request: SettlementRequest,
  idempotency: IdempotentRequest,
): Promise<DisputeSettlement> {
  const current = await finishRefundInProgress(order);
  const ledger = orderLedger(current, await ledgerStore.transactions(orderScope(current.id)));
  const plan = planSettlement(current, request, linesLeftToRefund(ledger));
  chooseAction(current, caller, plan.action.name);
  const settlementId = keyedId('ds', caller.userId, idempotency.key);
  const at = new Date().toISOString();
  const refund: OrderRefund | undefined =
    plan.refundLines.length > 0
      ? {
          refundId: settlementId,
          status: 'pending',
          lines: plan.refundLines,
          amount: request.refund.amount,
          refundFee: true,
          reason: `dispute settled: ${request.note}`,
          by: adminActor(caller),
          fingerprint: idempotency.fingerprint,
          requestedAt: at,
        }
      : undefined;
  const settlement: DisputeSettlement = {
    settlementId,
    refund: request.refund,
    action: plan.action.name,
    ...(refund ? { refundId: refund.refundId } : {}),
    note: request.note,
    by: caller.userId,
    at,
    fingerprint: idempotency.fingerprint,
  };
  const audit = disputeStore.auditPut({
    at,
    action: 'dispute.settled',
    actor: caller.userId,
    target: { kind: 'order', id: order.id },
    reason: `${request.refund.amount} ${request.refund.currency} back to the buyer, ${plan.action.name}: ${request.note}`,
  });
  await changeWithLedger(
    order.id,
    (read, readLedger) => {
      if (refund) refundOrder(read, readLedger, refund);
      return undefined;
    },
    (read) => {
      if (read.dispute?.settlement?.settlementId === settlementId) throw new IdempotencyKeyTaken();
      const settled = recordSettlement(read, settlement);
      return refund ? reserveRefund(settled.order, refund) : settled;
    },
    { idempotencyClaim: idempotency.claim(settlementId), alsoWrite: [audit] },
  );
  return settlement;
}

/** The settlement's refund made (or found made); refused by the provider: 409. */
async function makeRefund(orderId: string, refundId: string): Promise<void> {
  const order = await orderStore.get(orderId);
  let refund = order && refundOf(order, refundId);
  if (!order || !refund) throw new Error(`refund ${refundId} of order ${orderId} vanished`);
  if (refund.status === 'pending') refund = await carryOutRefund(order, refund);
  // A retry after a request that died once the refund was recorded: finish taking it back from payouts.
  else if (refund.status === 'succeeded') await recoverRefundFromPayouts(order, refundId);
  if (refund.status === 'failed') {
    throw new DomainError(
      'conflict',
      'refund_refused',
      `The payment provider refused the settlement's refund: ${refund.failure ?? 'no reason given'}.`,
    );
  }
}

/**
 * The admin settles the order's open dispute: `refund.amount` back to the buyer through the order's
 * refunds, the rest released to the payees by the dispute step's completing action (the stream
 * hands it to the workflow, whose completion releases what the order still holds). A retry with the
 * same Idempotency-Key continues the same settlement: its refund is made once.
 */
export async function settleDispute(
  order: Order,
  caller: Caller,
  request: SettlementRequest,
  idempotency: IdempotentRequest,
): Promise<DisputeSettlement> {
  const settlementId = keyedId('ds', caller.userId, idempotency.key);
  const ours =
    order.dispute?.settlement?.settlementId === settlementId ? order.dispute.settlement : undefined;
  if (ours && ours.fingerprint !== idempotency.fingerprint) {
    throw new DomainError(
      'unprocessable',
      'idempotency_key_reused',
      'This Idempotency-Key was used for another settlement of this dispute; use a new key.',
    );
  }
  const settlement = ours ?? (await record(order, caller, request, idempotency));
  if (settlement.refundId) await makeRefund(order.id, settlement.refundId);
  await orderStore.update(order.id, (current) =>
    inDisputeStep(current)
      ? recordAction(
          current,
          adminActor(caller),
          chooseAction(current, caller, settlement.action),
          { note: settlement.note },
          new Date(),
        )
      : undefined,
  );
  return settlement;
}
