import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { lampContent } from '../support/fixtures.ts';
import { checkout, orderIdsOf, placeOrder, publishListing, stockOf } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let carla: string;
let dan: string;
let bea: string;
let admin: string;

beforeAll(async () => {
  api = await TestApi.start();
  [carla, dan, bea, admin] = await Promise.all([
    api.token('co-carla', 'seller'),
    api.token('co-dan', 'seller'),
    api.token('co-bea', 'buyer'),
    api.token('co-admin', 'admin'),
  ]);
  await Promise.all([carla, dan].map((seller) => onboardSeller(api, seller)));
});
afterAll(() => api.stop());

/** A seller of their own, so the orders they list are this test's alone. */
async function newSeller(name: string): Promise<string> {
  const seller = await api.token(`co-${name}-${randomUUID()}`, 'seller');
  await onboardSeller(api, seller);
  return seller;
}
const newBuyer = (name: string) => api.token(`co-${name}-${randomUUID()}`, 'buyer');

// Whether the listing was read short of stock or the reservation's condition failed, the line is named.

describe('stock under concurrent checkouts', () => {
  it('sells 5 units to exactly 5 of 50 buyers checking out at once', async () => {
    const seller = await newSeller('seller');
    const lamp = await publishListing(api, seller, { stock: 5 });
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, index) => newBuyer(`buyer${index}`)));

    const responses = await Promise.all(
      buyers.map((buyer) => checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }])),
    );

    const placed = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status === 409);
    expect(placed).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const response of refused) {
      expect(response.body.errors[0].field).toBe('body.lines.0');
      expect(response.body.code).toBe('lines_unavailable');
    }
    expect(await stockOf(api, lamp.id)).toBe(0);
    expect((await orderIdsOf(api, seller)).sort()).toEqual(
      placed.map((response) => response.body.orders[0].id).sort(),
    );
  });
});

describe('Idempotency-Key', () => {
  it('answers 5 concurrent retries of one checkout with the same response and checks out once', async () => {
    const buyer = await newBuyer('retrier');
    const lamp = await publishListing(api, carla, { stock: 10 });
    const vase = await publishListing(api, dan, { title: 'Blue vase', stock: 10 });
    const lines = [
      { listingId: lamp.id, quantity: 2 },
      { listingId: vase.id, quantity: 1 },
    ];
    const key = randomUUID();

    const responses = await Promise.all(Array.from({ length: 5 }, () => checkout(api, buyer, lines, key)));

    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const [first] = responses;
    for (const response of responses) expect(response.body).toEqual(first?.body);
    expect(first?.body.orders).toHaveLength(2);
    expect((await orderIdsOf(api, buyer)).sort()).toEqual(
      first?.body.orders.map((order: { id: string }) => order.id).sort(),
    );
    expect(await stockOf(api, lamp.id)).toBe(8);
    expect(await stockOf(api, vase.id)).toBe(9);
  });

  it('refuses the same key with a different cart (422) and reserves nothing for it', async () => {
    const buyer = await newBuyer('reuser');
    const lamp = await publishListing(api, carla, { stock: 10 });
    const vase = await publishListing(api, dan, { title: 'Blue vase', stock: 10 });
    const key = randomUUID();
    expect((await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }], key)).status).toBe(201);

    const reused = await checkout(api, buyer, [{ listingId: vase.id, quantity: 3 }], key);

    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await stockOf(api, vase.id)).toBe(10);
    expect(await stockOf(api, lamp.id)).toBe(9);
    expect(await orderIdsOf(api, buyer)).toHaveLength(1);
  });
});

describe('a cart that cannot be checked out', () => {
  it('fails entirely with 409 naming the line short of stock, leaving the other line untouched', async () => {
    const buyer = await newBuyer('short');
    const lamp = await publishListing(api, carla, { stock: 4 });
    const vase = await publishListing(api, dan, { title: 'Blue vase', stock: 1 });

    const response = await checkout(api, buyer, [
      { listingId: lamp.id, quantity: 2 },
      { listingId: vase.id, quantity: 2 },
    ]);

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('lines_unavailable');
    expect(response.body.errors).toEqual([{ field: 'body.lines.1', message: expect.any(String) }]);
    expect(await stockOf(api, lamp.id)).toBe(4);
    expect(await stockOf(api, vase.id)).toBe(1);
    expect(await orderIdsOf(api, buyer)).toEqual([]);
  });

  it('is refused with 422 when its lines are in two currencies', async () => {
    const euros = await publishListing(api, carla);
    const dollars = await publishListing(api, dan, { price: { amount: 3000, currency: 'USD' } });

    const response = await checkout(api, bea, [
      { listingId: euros.id, quantity: 1 },
      { listingId: dollars.id, quantity: 1 },
    ]);

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('mixed_currencies');
    expect(await stockOf(api, euros.id)).toBe(lampContent.stock);
    expect(await stockOf(api, dollars.id)).toBe(lampContent.stock);
  });

  it("is refused with 409 when it holds the buyer's own listing", async () => {
    const sellerAndBuyer = await api.token(`co-both-${randomUUID()}`, 'seller', 'buyer');
    await onboardSeller(api, sellerAndBuyer);
    const own = await publishListing(api, sellerAndBuyer);

    const response = await checkout(api, sellerAndBuyer, [{ listingId: own.id, quantity: 1 }]);

    expect(response.status).toBe(409);
    expect(response.body.errors[0].field).toBe('body.lines.0');
    expect(await stockOf(api, own.id)).toBe(lampContent.stock);
  });

  it('is refused with 409 naming unknown and unpublished listings', async () => {
    const draft = await api.call('POST', '/listings', { token: carla, body: lampContent });
    expect(draft.status).toBe(201);

    const response = await checkout(api, bea, [
      { listingId: randomUUID(), quantity: 1 },
      { listingId: draft.body.id, quantity: 1 },
    ]);

    expect(response.status).toBe(409);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'body.lines.0',
      'body.lines.1',
    ]);
  });

  it('is refused with 400 naming duplicate lines, a zero quantity and a missing Idempotency-Key', async () => {
    const lamp = await publishListing(api, carla);
    const fieldsOf = (response: { body: { errors: { field: string }[] } }) =>
      response.body.errors.map((error) => error.field);

    const duplicate = await checkout(api, bea, [
      { listingId: lamp.id, quantity: 1 },
      { listingId: lamp.id, quantity: 2 },
    ]);
    expect(duplicate.status).toBe(400);
    expect(fieldsOf(duplicate)).toEqual(['body.lines']);

    const zero = await checkout(api, bea, [{ listingId: lamp.id, quantity: 0 }]);
    expect(zero.status).toBe(400);
    expect(fieldsOf(zero)).toEqual(['body.lines.0.quantity']);

    const keyless = await api.call('POST', '/checkouts', {
      token: bea,
      body: { lines: [{ listingId: lamp.id, quantity: 1 }] },
    });
    expect(keyless.status).toBe(400);
    expect(fieldsOf(keyless)).toEqual(['headers.idempotency-key']);

    expect(await stockOf(api, lamp.id)).toBe(lampContent.stock);
  });

  it('is refused with 400 when a custom manufacturing line lacks its scan file URL', async () => {
    const implant = await publishListing(api, carla, {
      title: 'Custom insole',
      process: 'custom-manufacturing',
      providers: [
        { party: 'designer', userId: 'co-designer', shareBps: 2000 },
        { party: 'manufacturer', userId: 'co-maker', shareBps: 3000 },
      ],
    });

    const response = await checkout(api, bea, [{ listingId: implant.id, quantity: 1 }]);

    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'body.lines.0.data.scanFileUrl',
    ]);
    expect(await stockOf(api, implant.id)).toBe(lampContent.stock);
  });
});

describe('a placed order', () => {
  it('keeps the unit price and commission of checkout time when the seller reprices', async () => {
    const buyer = await newBuyer('snapshot');
    const lamp = await publishListing(api, carla, { price: { amount: 4999, currency: 'EUR' } });
    const placed = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 2 }]);
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0].id;

    const current = await api.call('GET', `/listings/${lamp.id}`);
    const etag = current.headers.get('etag') ?? '';
    const repriced = await api.call('PATCH', `/listings/${lamp.id}`, {
      token: carla,
      headers: { 'if-match': etag },
      body: { price: { amount: 8000, currency: 'EUR' } },
    });
    expect(repriced.status, JSON.stringify(repriced.body)).toBe(200);

    const order = await api.call('GET', `/orders/${orderId}`, { token: carla });
    expect(order.body).toMatchObject({
      total: 9998,
      commission: 1000,
      lines: [{ listingId: lamp.id, quantity: 2, unitPrice: 4999, amount: 9998, commission: 1000 }],
    });
  });

  it('is visible to its buyer, seller and admins only, and listed for each participant', async () => {
    const buyer = await newBuyer('visible');
    const otherBuyer = await newBuyer('nosy');
    const lamp = await publishListing(api, carla);
    const orderId = await placeOrder(api, buyer, lamp.id);

    for (const outsider of [otherBuyer, dan]) {
      expect((await api.call('GET', `/orders/${orderId}`, { token: outsider })).status).toBe(404);
      expect((await api.call('GET', `/orders/${orderId}/events`, { token: outsider })).status).toBe(404);
      expect(await orderIdsOf(api, outsider)).not.toContain(orderId);
    }
    const asAdmin = await api.call('GET', `/orders/${orderId}`, { token: admin });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.yourParties).toEqual(['admin']);
    expect((await api.call('GET', `/orders/${orderId}/events`, { token: admin })).status).toBe(200);
    expect(await orderIdsOf(api, buyer)).toEqual([orderId]);
    expect(await orderIdsOf(api, carla)).toContain(orderId);
  });
});
