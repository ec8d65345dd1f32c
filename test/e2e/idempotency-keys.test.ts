import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { act, checkout, orderMatching, publishListing } from '../support/orders.ts';
import { startRun } from '../support/payouts.ts';
import { onboardSeller } from '../support/sellers.ts';

/**
 * Idempotency-Keys that name properties of every JavaScript object. Each route that takes a key
 * must treat them as any other key: the first request takes effect, a retry answers the same.
 */
const objectPropertyNames = ['__proto__', 'constructor', 'prototype'] as const;

let api: TestApi;
let seller: string;
let admin: string;
let finance: string;

beforeAll(async () => {
  api = await TestApi.start();
  [seller, admin, finance] = await Promise.all([
    api.token('sol', 'seller'),
    api.token('ada', 'admin'),
    api.token('fin', 'finance'),
  ]);
  await onboardSeller(api, seller);
});
afterAll(() => api.stop());

describe.each(objectPropertyNames)('Idempotency-Key %s', (key) => {
  it('checks out once', async () => {
    const buyer = await api.token(`buyer-checkout-${key}`, 'buyer');
    const lamp = await publishListing(api, seller, { stock: 5 });
    const first = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }], key);
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    const retry = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }], key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const other = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 2 }], key);
    expect(other.status).toBe(422);
    expect((await api.call('GET', `/listings/${lamp.id}`)).body.stock).toBe(4);
  });

  it('refunds once', async () => {
    const buyer = await api.token(`buyer-refund-${key}`, 'buyer');
    const lamp = await publishListing(api, seller);
    const placed = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }]);
    const orderId: string = placed.body.orders[0].id;
    await act(api, seller, orderId, 'accept');
    await orderMatching(api, buyer, orderId, { paymentStatus: 'captured' });
    const refund = (amount: number) =>
      api.call('POST', `/orders/${orderId}/refunds`, {
        token: admin,
        body: { lines: [{ line: 0, amount }] },
        headers: { 'idempotency-key': key },
      });

    const first = await refund(1000);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ refundId: key, status: 'succeeded', amount: 1000 });
    const retry = await refund(1000);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect((await refund(500)).status).toBe(422);

    const order = await api.call('GET', `/orders/${orderId}`, { token: buyer });
    expect(order.body.refunds).toEqual([first.body]);
  });

  it('starts one payout run', async () => {
    const first = await startRun(api, finance, { currency: 'EUR', dryRun: true }, key);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const retry = await startRun(api, finance, { currency: 'EUR', dryRun: true }, key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect((await startRun(api, finance, { currency: 'USD', dryRun: true }, key)).status).toBe(422);
  });
});
