import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import type { Order } from '#shared/domain/order.ts';
import {
  type OrderRefund,
  pendingRefundOf,
  recordRefund,
  recordRefundFailure,
  refundingParty,
  refundOf,
  reserveRefund,
} from '#shared/domain/order-refunds.ts';
import { defaultPurchase, processRefOf } from '#shared/domain/processes.ts';

const now = new Date('2030-01-02T00:00:00.000Z');

const order = (overrides: Partial<Order> = {}): Order => ({
  id: 'order-1',
  checkoutId: 'checkout-1',
  buyerId: 'buyer',
  sellerId: 'seller',
  parties: { buyer: 'buyer', seller: 'seller' },
  currency: 'EUR',
  lines: [
    {
      listingId: 'l-1',
      title: 'Lamp',
      quantity: 1,
      unitPrice: 5000,
      amount: 5000,
      commission: 500,
      data: {},
    },
  ],
  total: 5000,
  commission: 500,
  payees: [{ party: 'seller', userId: 'seller', amount: 4500 }],
  process: processRefOf(defaultPurchase),
  paymentWindowSeconds: 900,
  status: 'in-progress',
  paymentStatus: 'captured',
  stepIndex: 1,
  version: 3,
  eventCount: 3,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  ...overrides,
});

const refund = (refundId: string, overrides: Partial<OrderRefund> = {}): OrderRefund => ({
  refundId,
  status: 'pending',
  lines: [{ line: 0, amount: 1000 }],
  amount: 1000,
  refundFee: true,
  by: { party: 'seller', userId: 'seller' },
  fingerprint: `fp-${refundId}`,
  requestedAt: now.toISOString(),
  ...overrides,
});

const seller = { userId: 'seller', roles: ['seller'] as const };
const admin = { userId: 'someone', roles: ['admin'] as const };

const codeOf = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return `${error.kind} ${error.code}`;
    throw error;
  }
  return 'allowed';
};

describe('who may refund', () => {
  it('lets the seller refund until the order has left its shipment step', () => {
    expect(refundingParty(order({ stepIndex: 0 }), seller)).toBe('seller');
    expect(refundingParty(order({ stepIndex: 1 }), seller)).toBe('seller');
    expect(codeOf(() => refundingParty(order({ stepIndex: 2 }), seller))).toBe(
      'conflict refund_after_shipment',
    );
    expect(codeOf(() => refundingParty(order({ status: 'completed' }), seller))).toBe(
      'conflict refund_after_shipment',
    );
  });

  it('lets an admin refund at any time, and nobody else', () => {
    expect(refundingParty(order({ status: 'completed', stepIndex: 3 }), admin)).toBe('admin');
    const buyer = { userId: 'buyer', roles: ['buyer'] as const };
    expect(codeOf(() => refundingParty(order(), buyer))).toBe('forbidden not_your_refund');
  });

  it('leaves refunds to admins in a process that names no shipment step', () => {
    const process = { ...defaultPurchase, shipmentStep: undefined };
    expect(codeOf(() => refundingParty(order({ stepIndex: 0 }), seller, process))).toBe(
      'conflict refund_after_shipment',
    );
  });
});

describe('refund records', () => {
  it('reserves one refund at a time', () => {
    const reserved = reserveRefund(order(), refund('r-1')).order;
    expect(pendingRefundOf(reserved)?.refundId).toBe('r-1');
    expect(codeOf(() => reserveRefund(reserved, refund('r-2')))).toBe('conflict refund_in_progress');
  });

  it('records a refund made, with its event, and then allows the next', () => {
    const reserved = reserveRefund(order(), refund('r-1', { reason: 'scratched' })).order;
    const { order: refunded, event } = recordRefund(reserved, 'r-1', now);
    expect(refundOf(refunded, 'r-1')).toMatchObject({ status: 'succeeded', settledAt: now.toISOString() });
    expect(event).toEqual({
      at: now.toISOString(),
      by: { party: 'seller', userId: 'seller' },
      type: 'refunded',
      data: { refundId: 'r-1', amount: '1000', reason: 'scratched' },
    });
    expect(codeOf(() => reserveRefund(refunded, refund('r-2')))).toBe('allowed');
  });

  it('records a refused refund, which holds nothing back', () => {
    const reserved = reserveRefund(order(), refund('r-1')).order;
    const { order: failed, event } = recordRefundFailure(reserved, 'r-1', 'charge disputed', now);
    expect(refundOf(failed, 'r-1')).toMatchObject({ status: 'failed', failure: 'charge disputed' });
    expect(event).toBeUndefined();
    expect(pendingRefundOf(failed)).toBeUndefined();
  });
});
