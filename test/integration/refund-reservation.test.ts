import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '#shared/app/orders/refunds.ts';
import { type OrderRefund, refundOf, reserveRefund } from '#shared/domain/order-refunds.ts';
import { IdempotencyKeyTaken, type IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { newId, storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable, functionsUseTable } from '../support/table.ts';

let orders: OrderStore;
let idempotencyRecords: IdempotencyRecordStore;
let placeCheckout: ReturnType<typeof storeCheckouts>['placeCheckout'];
let publishedListing: ReturnType<typeof storeCheckouts>['publishedListing'];

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  functionsUseTable(tableName);
  ({ orders, idempotencyRecords, placeCheckout, publishedListing } = storeCheckouts(client, tableName));
});

describe('reserving a refund asked for with an Idempotency-Key', () => {
  it('loses to the concurrent request with the key that reserved it first: the claim is taken', async () => {
    const buyerId = newId('buyer');
    const listing = await publishedListing();
    const {
      orders: [placed],
    } = await placeCheckout(buyerId, [{ listing, quantity: 1 }]);
    if (!placed) throw new Error('the checkout planned no order');
    const key = randomUUID();
    const refund: OrderRefund = {
      refundId: `re-${key}`,
      status: 'pending',
      lines: [{ line: 0, amount: placed.total }],
      amount: placed.total,
      refundFee: true,
      by: { party: 'admin', userId: buyerId },
      fingerprint: 'the request',
      requestedAt: new Date().toISOString(),
    };
    // The winner read the order before the loser's reservation and wrote its own first.
    await orders.update(placed.id, (order) => reserveRefund(order, refund));
    const reserved = await orders.get(placed.id);

    const claim = idempotencyRecords.claim({
      userId: buyerId,
      key,
      fingerprint: refund.fingerprint,
      resourceId: refund.refundId,
      now: new Date(),
    });
    await expect(reserve(placed.id, refund, claim)).rejects.toBeInstanceOf(IdempotencyKeyTaken);

    const after = await orders.get(placed.id);
    expect(after).toEqual(reserved);
    expect(after?.refunds?.filter((made) => made.refundId === refund.refundId)).toHaveLength(1);
    expect(refundOf(after ?? placed, refund.refundId)?.status).toBe('pending');
  });
});
