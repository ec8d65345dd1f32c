import type { Caller } from './caller.ts';
import { DomainError } from './errors.ts';
import type { Actor, Order, OrderChange } from './order.ts';
import { partiesOf } from './order-parties.ts';
import type { ProcessDefinition } from './order-process.ts';
import { processOf } from './processes.ts';

/** One line's part of a refund, in minor units. */
export interface RefundLine {
  readonly line: number;
  readonly amount: number;
}

/**
 * A refund of part of an order. Recorded as pending before the provider is asked (at most one at
 * a time per order, so two refunds never both count on the same money), then settled.
 */
export interface OrderRefund {
  /** The Idempotency-Key it was asked with: a retry continues it rather than refunding again. */
  readonly refundId: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly lines: readonly RefundLine[];
  readonly amount: number;
  /** Whether the platform gives back its commission on the refunded part. */
  readonly refundFee: boolean;
  readonly reason?: string;
  readonly by: Actor;
  /** What was asked, to tell a retry from another refund reusing its key. */
  readonly fingerprint: string;
  readonly requestedAt: string;
  readonly settledAt?: string;
  readonly failure?: string;
}

/**
 * The party refunding for the caller: an admin at any time once the payment was captured, the
 * seller until the order has left its process's shipment step (`process`: the version the order
 * names, unless given). Anyone else: 403.
 */
export function refundingParty(
  order: Order,
  caller: Caller,
  { steps, shipmentStep }: ProcessDefinition = processOf(order.process),
): 'admin' | 'seller' {
  const parties = partiesOf(order, caller);
  if (parties.includes('admin')) return 'admin';
  if (!parties.includes('seller')) {
    throw new DomainError('forbidden', 'not_your_refund', 'Only the seller or an admin may refund an order.');
  }
  const shipmentIndex = steps.findIndex((step) => step.name === shipmentStep);
  const beforeShipment =
    order.status === 'in-progress' && order.stepIndex !== undefined && order.stepIndex <= shipmentIndex;
  if (!beforeShipment) {
    throw new DomainError(
      'conflict',
      'refund_after_shipment',
      'Sellers refund until the order ships; after that, ask the marketplace to refund the buyer.',
    );
  }
  return 'seller';
}

export const refundOf = (order: Order, refundId: string): OrderRefund | undefined =>
  order.refunds?.find((refund) => refund.refundId === refundId);

export const pendingRefundOf = (order: Order): OrderRefund | undefined =>
  order.refunds?.find((refund) => refund.status === 'pending');

export function reserveRefund(order: Order, refund: OrderRefund): OrderChange {
  const pending = pendingRefundOf(order);
  if (pending) {
    throw new DomainError(
      'conflict',
      'refund_in_progress',
      `Refund ${pending.refundId} of this order is still being made; try again in a moment.`,
    );
  }
  return { order: { ...order, refunds: [...(order.refunds ?? []), refund] } };
}

function settle(order: Order, refundId: string, settled: Partial<OrderRefund>, now: Date): Order {
  if (!refundOf(order, refundId)) throw new Error(`order ${order.id} has no refund ${refundId}`);
  return {
    ...order,
    refunds: order.refunds?.map((refund) =>
      refund.refundId === refundId ? { ...refund, ...settled, settledAt: now.toISOString() } : refund,
    ),
  };
}

export function recordRefund(order: Order, refundId: string, now: Date): OrderChange {
  const refunded = settle(order, refundId, { status: 'succeeded' }, now);
  const refund = refundOf(refunded, refundId);
  return {
    order: refunded,
    event: {
      at: now.toISOString(),
      by: refund?.by ?? { party: 'payments' },
      type: 'refunded',
      data: {
        refundId,
        amount: String(refund?.amount ?? 0),
        ...(refund?.reason ? { reason: refund.reason } : {}),
      },
    },
  };
}

export function recordRefundFailure(order: Order, refundId: string, failure: string, now: Date): OrderChange {
  return { order: settle(order, refundId, { status: 'failed', failure }, now) };
}
