import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDay } from '#shared/domain/sales-volume.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { type ApiResponse, TestApi } from '../support/api.ts';
import { act, checkout, orderMatching, publishListing } from '../support/orders.ts';
import { recordSale } from '../support/seller-sales.ts';
import { onboardSeller, paymentSimulatorOf } from '../support/sellers.ts';

let api: TestApi;
let admin: string;
let seller: string;
let buyer: string;

beforeAll(async () => {
  api = await TestApi.start();
  [admin, seller, buyer] = await Promise.all([
    api.token('cr-admin', 'admin'),
    api.token('cr-sam', 'seller'),
    api.token('cr-bea', 'buyer'),
  ]);
});
afterAll(() => api.stop());

const path = '/admin/commission-rules';

const getRules = () => api.call('GET', path, { token: admin });

function putRules(body: unknown, ifMatch?: string, token = admin): Promise<ApiResponse> {
  return api.call('PUT', path, { token, body, ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}) });
}

/** Replaces the rules at the version just read, as an admin client would. */
async function replaceRules(body: unknown) {
  const current = await getRules();
  const saved = await putRules(body, current.headers.get('etag') ?? '');
  expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
  return saved;
}

// The tests of this file run in order on one table, whose rule set they change in turn.

describe('the commission rules admin API', () => {
  it('serves the default rules, 10 % of every line, at version 0 before any are saved', async () => {
    const response = await getRules();
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"0"');
    expect(response.body).toEqual({
      default: { rateBps: 1000 },
      tiers: [],
      categories: [],
      sellers: [],
      version: 0,
    });
  });

  it('is for admins only', async () => {
    for (const token of [seller, buyer]) {
      const read = await api.call('GET', path, { token });
      expect(read.status).toBe(403);
      expect(read.body.code).toBe('forbidden');
      expect((await putRules({ default: { rateBps: 0 } }, undefined, token)).status).toBe(403);
    }
    expect((await api.call('GET', path)).status).toBe(401);
    expect((await getRules()).headers.get('etag')).toBe('"0"');
  });

  it('refuses an invalid rule set with 400 naming every invalid field, saving nothing', async () => {
    const response = await putRules({
      default: { rateBps: 10_001 },
      categories: [{ category: 'home', rateBps: 100, fixedFee: { EUR: -5 } }],
      sellers: [{ sellerId: 'cr-sam', rateBps: 100, mystery: true }],
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'body.default.rateBps',
      'body.categories.0.fixedFee.EUR',
      'body.sellers.0.mystery',
    ]);

    const crossed = await putRules({
      default: { rateBps: 100, minimum: { EUR: 500 }, maximum: { EUR: 100 } },
      categories: [
        { category: 'home', rateBps: 100 },
        { category: 'home', rateBps: 200 },
      ],
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.errors).toEqual([
      { field: 'body.default.minimum.EUR', message: 'is above the maximum 100 EUR' },
      { field: 'body.categories.1.category', message: 'home has a rule already (categories.0)' },
    ]);
    expect((await getRules()).body.version).toBe(0);
  });

  it('saves the first rule set without If-Match, then requires the current ETag', async () => {
    const first = await putRules({ default: { rateBps: 900 } });
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body).toMatchObject({ default: { rateBps: 900 }, version: 1, updatedBy: 'cr-admin' });

    const blind = await putRules({ default: { rateBps: 800 } });
    expect(blind.status).toBe(428);
    expect(blind.body.code).toBe('precondition_required');

    const stale = await putRules({ default: { rateBps: 800 } }, '"0"');
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_mismatch');
    expect((await putRules({ default: { rateBps: 800 } }, 'W/"1"')).status).toBe(412);

    const second = await putRules({ default: { rateBps: 800 } }, '"1"');
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe('"2"');
    expect((await putRules({ default: { rateBps: 700 } }, '"1"')).status).toBe(412);

    const read = await getRules();
    expect(read.headers.get('etag')).toBe('"2"');
    expect(read.body).toMatchObject({ default: { rateBps: 800 }, version: 2, updatedBy: 'cr-admin' });
  });
});

describe('a checkout under the commission rules', () => {
  /** The commission of each line of each order of a checkout, by the order's seller. */
  async function commissionsBySeller(placed: ApiResponse) {
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orders = await Promise.all(
      placed.body.orders.map(async (order: { id: string; sellerId: string }) => {
        const { body } = await api.call('GET', `/orders/${order.id}`, { token: admin });
        const lines = body.lines.map((line: { commission: number }) => line.commission);
        return [order.sellerId, { commission: body.commission, lines }];
      }),
    );
    return Object.fromEntries(orders);
  }

  it('charges by seller override, category, tier and default, and keeps what it charged when rules change', async () => {
    const plain = await api.token('cr-plain', 'seller');
    const favoured = await api.token('cr-favoured', 'seller');
    const big = await api.token('cr-big', 'seller');
    const newcomer = await api.token('cr-newcomer', 'seller');
    await Promise.all([plain, favoured, big, newcomer].map((token) => onboardSeller(api, token)));
    await replaceRules({
      default: { rateBps: 1000 },
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0 }, rateBps: 1100 },
        { name: 'gold', minVolume: { EUR: 1_000_000 }, rateBps: 500 },
      ],
      categories: [
        { category: 'home', rateBps: 700 },
        { category: 'home/lamps', rateBps: 800, fixedFee: { EUR: 30, USD: 99 } },
      ],
      sellers: [{ sellerId: 'cr-favoured', rateBps: 200, minimum: { EUR: 150 } }],
    });
    // Nothing records sales before payments capture them: the test records the big seller's.
    const client = createDocumentClient();
    await recordSale(client, tableName(), {
      sellerId: 'cr-big',
      buyerId: 'cr-big-buyer',
      currency: 'EUR',
      amount: 1_000_000,
      day: utcDay(new Date()),
    });
    client.destroy();

    const price = { amount: 4999, currency: 'EUR' };
    const plainLamp = await publishListing(api, plain, { price });
    const favouredLamp = await publishListing(api, favoured, { price });
    const bigPot = await publishListing(api, big, {
      category: 'garden/pots',
      price: { amount: 10_000, currency: 'EUR' },
    });
    const newPot = await publishListing(api, newcomer, {
      category: 'garden/pots',
      price: { amount: 10_000, currency: 'EUR' },
    });
    const placed = await checkout(
      api,
      buyer,
      [plainLamp, favouredLamp, bigPot, newPot].map((listing) => ({ listingId: listing.id, quantity: 1 })),
    );

    const charged = {
      // category home/lamps: 8 % of 4999 = 399.92 -> 400, plus the EUR fee 30
      'cr-plain': { commission: 430, lines: [430] },
      // the override beats the category: 2 % = 99.98 -> 100, raised to the minimum 150
      'cr-favoured': { commission: 150, lines: [150] },
      // no category rule for garden/pots: the gold tier, 5 % of 10000
      'cr-big': { commission: 500, lines: [500] },
      // no sales: the lowest tier, 11 %
      'cr-newcomer': { commission: 1100, lines: [1100] },
    };
    expect(await commissionsBySeller(placed)).toEqual(charged);

    // New rules apply to new checkouts only.
    await replaceRules({
      default: { rateBps: 1500 },
      categories: [{ category: 'home/lamps', rateBps: 2500 }],
    });
    expect(await commissionsBySeller(placed)).toEqual(charged);
    const later = await checkout(api, buyer, [{ listingId: plainLamp.id, quantity: 1 }]);
    // 25 % of 4999 = 1249.75 -> 1250, no fee any more
    expect(await commissionsBySeller(later)).toEqual({ 'cr-plain': { commission: 1250, lines: [1250] } });
  });

  /** A checkout of the listing by `buyerToken`, its one order accepted by the seller and so captured. */
  async function capturedPurchase(sellerToken: string, buyerToken: string, listingId: string, quantity = 1) {
    const placed = await checkout(api, buyerToken, [{ listingId, quantity }]);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId: string = placed.body.orders[0].id;
    await act(api, sellerToken, orderId, 'accept');
    await orderMatching(api, sellerToken, orderId, { paymentStatus: 'captured' });
    return { placed, orderId, paymentId: placed.body.payment.id as string };
  }

  /** The commission a new checkout of one unit of the listing by `buyerToken` is charged (the order is left waiting). */
  async function commissionOfNextCheckout(buyerToken: string, listing: { id: string; sellerId: string }) {
    const placed = await checkout(api, buyerToken, [{ listingId: listing.id, quantity: 1 }]);
    return (await commissionsBySeller(placed))[listing.sellerId].commission;
  }

  const goldAt50k = {
    default: { rateBps: 1000 },
    tiers: [
      { name: 'bronze', minVolume: { EUR: 0 }, rateBps: 1100 },
      { name: 'gold', minVolume: { EUR: 50_000 }, rateBps: 500 },
    ],
  };

  it('counts net sales: buying from yourself with a second account and refunding it all does not raise your tier', async () => {
    const farmer = await api.token('cr-farmer', 'seller');
    const secondAccount = await api.token('cr-farmer-too', 'buyer');
    await onboardSeller(api, farmer);
    await replaceRules(goldAt50k);
    const pot = await publishListing(api, farmer, {
      category: 'garden/pots',
      stock: 5,
      price: { amount: 60_000, currency: 'EUR' },
    });

    const { placed, orderId } = await capturedPurchase(farmer, secondAccount, pot.id);
    // bronze, 11 % of 60000; the capture alone takes the seller to gold, 5 %
    expect((await commissionsBySeller(placed))['cr-farmer'].commission).toBe(6600);
    expect(await commissionOfNextCheckout(buyer, pot)).toBe(3000);
    const refunded = await api.call('POST', `/orders/${orderId}/refunds`, {
      token: farmer,
      body: {},
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(201);
    expect(refunded.body.amount).toBe(60_000);

    // Captured 60000, refunded 60000: a net volume of 0 keeps bronze (gold would charge 3000).
    expect(await commissionOfNextCheckout(buyer, pot)).toBe(6600);
  });

  it('counts net sales: a chargeback the seller lost takes its sale back out of the volume', async () => {
    const seller = await api.token('cr-disputed', 'seller');
    await onboardSeller(api, seller);
    await replaceRules(goldAt50k);
    const pot = await publishListing(api, seller, {
      category: 'garden/pots',
      stock: 5,
      price: { amount: 60_000, currency: 'EUR' },
    });
    const { orderId, paymentId } = await capturedPurchase(seller, buyer, pot.id);
    expect(await commissionOfNextCheckout(buyer, pot)).toBe(3000);

    const simulator = paymentSimulatorOf(api);
    const dispute = simulator.openDispute(paymentId);
    simulator.closeDispute(dispute.id, 'lost');
    await orderMatching(api, seller, orderId, { chargeback: { disputeId: dispute.id, status: 'lost' } });

    expect(await commissionOfNextCheckout(buyer, pot)).toBe(6600);
  });

  it('keeps a tier that needs 3 distinct buyers from a seller with one, however much that one buys', async () => {
    const seller = await api.token('cr-popular', 'seller');
    const first = await api.token('cr-buyer-1', 'buyer');
    const second = await api.token('cr-buyer-2', 'buyer');
    const third = await api.token('cr-buyer-3', 'buyer');
    await onboardSeller(api, seller);
    await replaceRules({
      default: { rateBps: 1000 },
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0 }, rateBps: 1100 },
        { name: 'silver', minVolume: { EUR: 10_000 }, minBuyers: 3, rateBps: 700 },
      ],
    });
    const pot = await publishListing(api, seller, {
      category: 'garden/pots',
      stock: 20,
      price: { amount: 10_000, currency: 'EUR' },
    });

    // 50000 from one buyer reaches silver's volume, not its buyers.
    await capturedPurchase(seller, first, pot.id, 5);
    expect(await commissionOfNextCheckout(first, pot)).toBe(1100);
    await capturedPurchase(seller, second, pot.id);
    expect(await commissionOfNextCheckout(first, pot)).toBe(1100);
    const { orderId } = await capturedPurchase(seller, third, pot.id);
    expect(await commissionOfNextCheckout(first, pot)).toBe(700);

    // A buyer given back everything no longer counts.
    const refunded = await api.call('POST', `/orders/${orderId}/refunds`, {
      token: seller,
      body: {},
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(201);
    expect(await commissionOfNextCheckout(first, pot)).toBe(1100);
  }, 40_000);
});
