import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxChargeAmount } from '#shared/payments/charge-limits.ts';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { checkout, publishListing, stockOf, unpaidCheckout } from '../support/orders.ts';
import { onboardSeller, paymentSimulatorOf } from '../support/sellers.ts';
import { stripeClientOf } from '../support/stripe.ts';

/**
 * What keeps a buyer from holding stock they do not pay for: a short payment window, a few unpaid
 * checkouts at a time, a listing's maximum per order, and no cart the payment provider would refuse.
 */

const paymentWindowSeconds = 600;
const maxUnpaid = 2;

let api: TestApi;
let seller: string;

beforeAll(async () => {
  api = await TestApi.start({
    operatorSettings: {
      CHECKOUT_PAYMENT_WINDOW_SECONDS: String(paymentWindowSeconds),
      CHECKOUT_MAX_UNPAID: String(maxUnpaid),
    },
  });
  seller = await api.token('limits-seller', 'seller');
  await onboardSeller(api, seller);
});
afterAll(() => api.stop());

const newBuyer = () => api.token(`limits-buyer-${randomUUID()}`, 'buyer');
describe('unpaid checkouts', () => {
  it('wait for their payment for the configured window', async () => {
    const buyer = await newBuyer();
    const lamp = await publishListing(api, seller);
    const placed = await unpaidCheckout(api, buyer, lamp.id);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);

    const [orderId] = placed.body.orders.map((order: { id: string }) => order.id);
    const waiting = await eventually(async () => {
      const { body: order } = await api.call('GET', `/orders/${orderId}`, { token: buyer });
      expect(order).toMatchObject({ status: 'awaiting-payment', paymentDeadline: expect.any(String) });
      return order;
    });
    const waitedSeconds = (Date.parse(waiting.paymentDeadline) - Date.parse(waiting.createdAt)) / 1000;
    expect(waitedSeconds).toBeGreaterThanOrEqual(paymentWindowSeconds);
    expect(waitedSeconds).toBeLessThan(paymentWindowSeconds + 30);
  });

  it('are limited per buyer, and a paid one frees its place', async () => {
    const [buyer, otherBuyer] = await Promise.all([newBuyer(), newBuyer()]);
    const lamp = await publishListing(api, seller, { stock: 10 });
    const first = await unpaidCheckout(api, buyer, lamp.id);
    expect(first.status).toBe(201);
    expect((await unpaidCheckout(api, buyer, lamp.id)).status).toBe(201);

    const refused = await unpaidCheckout(api, buyer, lamp.id);
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body).toMatchObject({ code: 'too_many_unpaid_checkouts' });
    expect(await stockOf(api, lamp.id)).toBe(8);
    expect((await unpaidCheckout(api, otherBuyer, lamp.id)).status).toBe(201);

    // The buyer's client confirms the first payment with Stripe.js; its webhook frees the place.
    await stripeClientOf(paymentSimulatorOf(api)).paymentIntents.confirm(first.body.payment.id, {
      payment_method: 'pm_card_visa',
    });
    await eventually(async () => expect((await unpaidCheckout(api, buyer, lamp.id)).status).toBe(201));
    expect(await stockOf(api, lamp.id)).toBe(6);
  });

  it('race for the last place: exactly the limit is placed', async () => {
    const buyer = await newBuyer();
    const lamp = await publishListing(api, seller, { stock: 10 });
    const attempts = await Promise.all([1, 2, 3, 4, 5].map(() => unpaidCheckout(api, buyer, lamp.id)));
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409]);
    expect(await stockOf(api, lamp.id)).toBe(10 - maxUnpaid);
  });
});

describe('a cart', () => {
  it('may not take more of a listing than its maximum per order', async () => {
    const buyer = await newBuyer();
    const lamp = await publishListing(api, seller, { stock: 10, maxPerOrder: 2 });
    const tooMany = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 3 }]);
    expect(tooMany.status, JSON.stringify(tooMany.body)).toBe(422);
    expect(tooMany.body).toMatchObject({
      code: 'over_max_per_order',
      errors: [{ field: 'body.lines.0.quantity', message: 'at most 2 per checkout, 3 wanted' }],
    });
    expect(await stockOf(api, lamp.id)).toBe(10);

    expect((await checkout(api, buyer, [{ listingId: lamp.id, quantity: 2 }])).status).toBe(201);
    expect(await stockOf(api, lamp.id)).toBe(8);
  });

  it('over what one payment can take is refused before anything is reserved', async () => {
    const buyer = await newBuyer();
    const price = Math.ceil(maxChargeAmount / 2) + 1;
    const yacht = await publishListing(api, seller, { stock: 5, price: { amount: price, currency: 'EUR' } });
    const refused = await checkout(api, buyer, [{ listingId: yacht.id, quantity: 2 }]);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body).toMatchObject({ code: 'over_payment_limit', errors: [{ field: 'body.lines' }] });
    expect(await stockOf(api, yacht.id)).toBe(5);
    expect((await api.call('GET', '/orders', { token: buyer })).body.items).toEqual([]);

    expect((await checkout(api, buyer, [{ listingId: yacht.id, quantity: 1 }])).status).toBe(201);
  });
});
