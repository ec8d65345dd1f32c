import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import {
  act,
  checkout,
  completedPurchaseHistory,
  historyOf,
  orderWithStatus,
  publishListing,
} from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let alice: string;
let sam: string;
let bob: string;

beforeAll(async () => {
  api = await TestApi.start();
  [alice, sam, bob] = await Promise.all([
    api.token('alice', 'seller'),
    api.token('sam', 'seller'),
    api.token('bob', 'buyer'),
  ]);
  await Promise.all([alice, sam].map((seller) => onboardSeller(api, seller)));
});
afterAll(() => api.stop());

describe('a two-seller cart', () => {
  it('becomes two orders that each go through the default purchase process', async () => {
    const lamp = await publishListing(api, alice, { stock: 5 });
    const vase = await publishListing(api, sam, {
      title: 'Blue vase',
      stock: 2,
      price: { amount: 2500, currency: 'EUR' },
    });
    const placed = await checkout(api, bob, [
      { listingId: lamp.id, quantity: 2 },
      { listingId: vase.id, quantity: 1 },
    ]);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({
      currency: 'EUR',
      total: 2 * 4999 + 2500,
      payment: { status: 'authorised' },
    });
    expect(placed.body.orders).toHaveLength(2);
    const lampOrder = placed.body.orders.find((order: { sellerId: string }) => order.sellerId === 'alice').id;
    const vaseOrder = placed.body.orders.find((order: { sellerId: string }) => order.sellerId === 'sam').id;

    // The checkout's one capture waits until sam has decided too: declining leaves the vase out of it.
    expect((await act(api, alice, lampOrder, 'accept')).status).toBe(200);
    expect((await act(api, sam, vaseOrder, 'decline', { reason: 'broken' })).status).toBe(200);
    const cancelled = await orderWithStatus(api, bob, vaseOrder, 'cancelled');
    expect(cancelled.paymentStatus).toBe('cancelled');
    expect((await act(api, alice, lampOrder, 'ship', { trackingNumber: 'TRACK-1' })).status).toBe(200);
    expect((await act(api, bob, lampOrder, 'confirm-receipt')).status).toBe(200);
    const completed = await orderWithStatus(api, bob, lampOrder, 'completed');
    expect(completed).toMatchObject({ paymentStatus: 'captured', total: 9998 });
    const asSeller = await api.call('GET', `/orders/${lampOrder}`, { token: alice });
    expect(asSeller.body).toMatchObject({ commission: 1000 });
    expect((await api.call('GET', `/listings/${vase.id}`)).body.stock).toBe(2);
    expect((await api.call('GET', `/listings/${lamp.id}`)).body.stock).toBe(3);

    // The ledger: the capture owed alice the total less commission, the completion made it payable.
    const balances = await api.call('GET', '/sellers/me/balances', { token: alice });
    expect(balances.body.items).toEqual([
      { currency: 'EUR', pending: 0, available: 8998, frozen: 0, paidOut: 0 },
    ]);
    const statement = await api.call('GET', '/sellers/me/statement?currency=EUR', { token: alice });
    expect(
      statement.body.items.map((entry: { kind: string; account: string; amount: number }) => [
        entry.kind,
        entry.account,
        entry.amount,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['capture', 'pending', 8998],
        ['release', 'pending', -8998],
        ['release', 'available', 8998],
      ]),
    );
    expect((await api.call('GET', '/sellers/me/balances', { token: sam })).body.items).toEqual([]);

    expect(await historyOf(api, alice, lampOrder)).toEqual(completedPurchaseHistory);
  });
});
