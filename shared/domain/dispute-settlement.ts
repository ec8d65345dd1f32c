import { disputeNotOpen } from './dispute-evidence.ts';
import { DomainError } from './errors.ts';
import { spreadRefund } from './ledger/refund-spread.ts';
import { sumOf } from './money.ts';
import { currentStep, type Order, type OrderChange } from './order.ts';
import { type DisputeSettlement, inDisputeStep } from './order-disputes.ts';
import type { ProcessAction } from './order-process.ts';
import { type RefundLine, refundOf } from './order-refunds.ts';

export interface SettlementRequest {
  readonly refund: { readonly amount: number; readonly currency: string };
  readonly note: string;
}

/** What a settlement does: refund these lines (none: no refund of its own), then take `action`. */
export interface SettlementPlan {
  readonly action: ProcessAction;
  readonly refundLines: readonly RefundLine[];
}

const settledAlready = (order: Order, settlement: DisputeSettlement) =>
  new DomainError(
    'conflict',
    'dispute_settled',
    `The dispute of order ${order.id} was settled already (${settlement.settlementId}).`,
  );

/** The order's settlement still standing: one whose refund the provider refused may be replaced. */
export function standingSettlement(order: Order): DisputeSettlement | undefined {
  const settlement = order.dispute?.settlement;
  const refused = settlement?.refundId && refundOf(order, settlement.refundId)?.status === 'failed';
  return refused ? undefined : settlement;
}

/**
 * How the admin's decision settles the open dispute, given what each line still holds. Nothing
 * given back: the step's completing action releases everything to the payees. Everything left: its
 * cancelling action, whose cancellation refunds the buyer in full. Anything between: that much
 * refunded over the lines pro rata, then the completing action releases the rest.
 */
export function planSettlement(
  order: Order,
  request: SettlementRequest,
  linesLeft: readonly RefundLine[],
): SettlementPlan {
  const step = currentStep(order);
  if (!step || !inDisputeStep(order)) throw disputeNotOpen(order.id);
  const settled = standingSettlement(order);
  if (settled) throw settledAlready(order, settled);
  const { amount, currency } = request.refund;
  if (currency !== order.currency) {
    throw new DomainError(
      'unprocessable',
      'currency_mismatch',
      `Order ${order.id} is in ${order.currency}; a refund of it is too.`,
      [{ path: ['refund', 'currency'], message: `must be ${order.currency}` }],
    );
  }
  const left = sumOf(linesLeft.map((line) => line.amount));
  if (amount > left) {
    throw new DomainError(
      'unprocessable',
      'refund_exceeds_left',
      `${amount} asked, but only ${left} of order ${order.id} is left to refund.`,
      [{ path: ['refund', 'amount'], message: `at most ${left}` }],
    );
  }
  const completing = step.actions.find((action) => action.outcome === 'complete-order');
  const cancelling = step.actions.find((action) => action.outcome === 'cancel-order');
  if (amount > 0 && amount === left && cancelling) return { action: cancelling, refundLines: [] };
  if (!completing) {
    throw new DomainError(
      'conflict',
      'dispute_not_settleable',
      `The step ${step.name} has no action that completes the order.`,
    );
  }
  return { action: completing, refundLines: spreadRefund(amount, linesLeft) };
}

/** Records the settlement on the order's dispute; another one standing: 409, nothing changes. */
export function recordSettlement(order: Order, settlement: DisputeSettlement): OrderChange {
  const { dispute } = order;
  if (!dispute || !inDisputeStep(order)) throw disputeNotOpen(order.id);
  const standing = standingSettlement(order);
  if (standing && standing.settlementId !== settlement.settlementId) throw settledAlready(order, standing);
  return { order: { ...order, dispute: { ...dispute, settlement } } };
}
