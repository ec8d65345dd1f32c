import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPaymentMethods } from '#infra/local/payment-simulator/index.ts';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import {
  act,
  checkout,
  historyOf,
  orderMatching,
  orderWithStatus,
  publishListing,
  twoSellerCheckout,
} from '../support/orders.ts';
import { onboardSeller, paymentSimulatorOf } from '../support/sellers.ts';
import { eventCountOf, latestPaymentIntent } from '../support/stripe.ts';

/**
 * Money over HTTP with the payment simulator standing in for Stripe: one PaymentIntent per
 * checkout captured once, refunds, chargebacks, webhooks, and crashes between Stripe and the table.
 */

let api: TestApi;
let alice: string;
let sam: string;
let bob: string;
let admin: string;

beforeAll(async () => {
  api = await TestApi.start();
  [alice, sam, bob, admin] = await Promise.all([
    api.token('alice', 'seller'),
    api.token('sam', 'seller'),
    api.token('bob', 'buyer'),
    api.token('ada', 'admin'),
  ]);
  await Promise.all([alice, sam].map((seller) => onboardSeller(api, seller)));
});
afterAll(() => api.stop());

const simulator = () => paymentSimulatorOf(api);

const intentOf = (paymentId: string) => latestPaymentIntent(simulator(), paymentId);
const eventCount = (type: string, objectId: string) => eventCountOf(simulator(), type, objectId);

const cartOfAliceAndSam = (paymentMethod?: string) =>
  twoSellerCheckout(api, { buyer: bob, lampSeller: alice, vaseSeller: sam }, paymentMethod);

async function balanceOf(token: string) {
  const balances = await api.call('GET', '/sellers/me/balances', { token });
  expect(balances.status).toBe(200);
  return balances.body.items.find((item: { currency: string }) => item.currency === 'EUR') ?? {};
}

describe('one payment per checkout', () => {
  it('captures once, for both orders, when the second seller accepts', async () => {
    const { placed, lampOrder, vaseOrder } = await cartOfAliceAndSam();
    const paymentId = placed.payment.id;
    expect(placed.payment).toMatchObject({ status: 'authorised', clientSecret: expect.any(String) });

    await act(api, alice, lampOrder, 'accept');
    const waiting = await orderMatching(api, alice, lampOrder, { paymentStatus: 'authorised', actions: [] });
    expect(waiting.status).toBe('in-progress');
    expect(intentOf(paymentId)?.status).toBe('requires_capture');

    await act(api, sam, vaseOrder, 'accept');
    await orderMatching(api, alice, lampOrder, { paymentStatus: 'captured' });
    await orderMatching(api, sam, vaseOrder, { paymentStatus: 'captured' });
    expect(intentOf(paymentId)).toMatchObject({ status: 'succeeded', amount_received: 7499 });
    expect(eventCount('payment_intent.succeeded', paymentId)).toBe(1);
    // Both can ship now, and the sellers' shares are pending.
    await act(api, alice, lampOrder, 'ship', { trackingNumber: 'T-1' });
    expect((await balanceOf(sam)).pending).toBeGreaterThan(0);
  });

  it('captures only the orders that went ahead; the rest of the authorisation lapses', async () => {
    const { placed, lampOrder, vaseOrder } = await cartOfAliceAndSam();
    await act(api, sam, vaseOrder, 'decline', { reason: 'out of stock' });
    await orderWithStatus(api, bob, vaseOrder, 'cancelled');
    await act(api, alice, lampOrder, 'accept');

    await orderMatching(api, alice, lampOrder, { paymentStatus: 'captured' });
    expect(intentOf(placed.payment.id)).toMatchObject({ status: 'succeeded', amount_received: 4999 });
    expect(await orderWithStatus(api, bob, vaseOrder, 'cancelled')).toMatchObject({
      paymentStatus: 'cancelled',
    });
  });

  it('cancels the authorisation when no order of the checkout goes ahead', async () => {
    const { placed, lampOrder, vaseOrder } = await cartOfAliceAndSam();
    await act(api, alice, lampOrder, 'decline');
    await act(api, sam, vaseOrder, 'decline');

    await eventually(async () => expect(intentOf(placed.payment.id)?.status).toBe('canceled'));
    expect(eventCount('payment_intent.succeeded', placed.payment.id)).toBe(0);
  });

  it('waits for strong customer authentication, which the webhook reports', async () => {
    const { placed, lampOrder } = await cartOfAliceAndSam(testPaymentMethods.authenticationRequired);
    expect(placed.payment).toMatchObject({ status: 'requires-action', clientSecret: expect.any(String) });
    expect((await api.call('GET', `/orders/${lampOrder}`, { token: bob })).body.status).toBe(
      'awaiting-payment',
    );

    simulator().completeAuthentication(placed.payment.id);
    await orderMatching(api, alice, lampOrder, { status: 'in-progress', paymentStatus: 'authorised' });
    expect(await historyOf(api, bob, lampOrder)).toEqual(['placed', 'payment-authorised']);
  });

  it('tells the buyer a declined card failed, and changes nothing else', async () => {
    const { placed, lampOrder } = await cartOfAliceAndSam(testPaymentMethods.declined);
    expect(placed.payment).toMatchObject({
      status: 'requires-payment-method',
      failure: 'Your card was declined.',
    });
    expect((await api.call('GET', `/orders/${lampOrder}`, { token: bob })).body.status).toBe(
      'awaiting-payment',
    );
  });
});

describe('webhooks', () => {
  it('applies an event delivered 5 times at once, and older events after newer ones, once', async () => {
    simulator().webhooks.hold();
    const { placed, lampOrder, vaseOrder } = await cartOfAliceAndSam(
      testPaymentMethods.authenticationRequired,
    );
    simulator().completeAuthentication(placed.payment.id);
    const authorised = simulator()
      .events('payment_intent.amount_capturable_updated')
      .find((event) => (event.data.object as { id?: string }).id === placed.payment.id);
    if (!authorised) throw new Error('the simulator reported no authorisation');
    simulator().webhooks.release('reversed');
    simulator().webhooks.resend(authorised.id, 5);
    await simulator().webhooks.settled();

    for (const orderId of [lampOrder, vaseOrder]) {
      await orderMatching(api, bob, orderId, { status: 'in-progress', paymentStatus: 'authorised' });
      expect(await historyOf(api, bob, orderId)).toEqual(['placed', 'payment-authorised']);
    }
    const delivered = simulator()
      .webhooks.deliveries()
      .filter((attempt) => attempt.eventId === authorised.id);
    expect(delivered.filter((attempt) => attempt.status === 200).length).toBeGreaterThanOrEqual(6);
  });
});

describe('a crash between Stripe and the table', () => {
  it('gives one PaymentIntent when the checkout is retried after Stripe answered but the answer was lost', async () => {
    const lamp = await publishListing(api, alice, { stock: 5 });
    const key = randomUUID();
    const before = simulator().events('payment_intent.created').length;
    // The SDK's own two retries lose theirs too: the request fails after Stripe created the payment.
    simulator().loseNextResponses(3, 'POST /v1/payment_intents');
    const failed = await checkout(api, bob, [{ listingId: lamp.id, quantity: 1 }], key);
    expect(failed.status).toBe(500);

    const retried = await checkout(api, bob, [{ listingId: lamp.id, quantity: 1 }], key);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body.payment.status).toBe('authorised');
    expect(simulator().events('payment_intent.created').length).toBe(before + 1);
    await orderMatching(api, bob, retried.body.orders[0].id, { paymentStatus: 'authorised' });
  });
});

/** One captured order of alice's lamp (4999, commission 500 by the default rule), accepted and waiting to ship. */
async function capturedLampOrder() {
  const lamp = await publishListing(api, alice, { stock: 5 });
  const placed = await checkout(api, bob, [{ listingId: lamp.id, quantity: 1 }]);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId: string = placed.body.orders[0].id;
  await act(api, alice, orderId, 'accept');
  await orderMatching(api, alice, orderId, { paymentStatus: 'captured' });
  return { orderId, paymentId: placed.body.payment.id as string };
}

const refund = (token: string, orderId: string, body: unknown, key: string = randomUUID()) =>
  api.call('POST', `/orders/${orderId}/refunds`, { token, body, headers: { 'idempotency-key': key } });

const refundedAt = (paymentId: string) =>
  simulator()
    .events('refund.created')
    .map((event) => event.data.object as unknown as Stripe.Refund)
    .filter((made) => made.payment_intent === paymentId)
    .map((made) => made.amount);

describe('refunds', () => {
  it('lets the seller refund part of a line before shipping: Stripe, the order and the ledger agree', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    const pendingBefore = (await balanceOf(alice)).pending;
    const key = randomUUID();

    const made = await refund(
      alice,
      orderId,
      { lines: [{ line: 0, amount: 1000 }], reason: 'scratched' },
      key,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      status: 'succeeded',
      amount: 1000,
      refundFee: true,
      by: { party: 'seller' },
    });
    const retried = await refund(
      alice,
      orderId,
      { lines: [{ line: 0, amount: 1000 }], reason: 'scratched' },
      key,
    );
    expect(retried.body).toEqual(made.body);

    expect(refundedAt(paymentId)).toEqual([1000]);
    // The commission (500 of 4999) gives back its share: 100 of the 1000.
    expect((await balanceOf(alice)).pending).toBe(pendingBefore - 900);
    const order = await api.call('GET', `/orders/${orderId}`, { token: bob });
    expect(order.body.refunds).toEqual([made.body]);
    expect(await historyOf(api, bob, orderId)).toContain('refunded');
  });

  it('refuses more than is left, a reused key, the buyer, and the seller after shipping, changing nothing', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    const key = randomUUID();
    expect((await refund(alice, orderId, { lines: [{ line: 0, amount: 4000 }] }, key)).status).toBe(201);

    const tooMuch = await refund(alice, orderId, { lines: [{ line: 0, amount: 1000 }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({
      code: 'refund_exceeds_captured',
      errors: [{ field: 'body.lines.0' }],
    });
    const reused = await refund(alice, orderId, { lines: [{ line: 0, amount: 10 }] }, key);
    expect(reused.status).toBe(422);
    expect((await refund(bob, orderId, {})).status).toBe(403);
    const keepCommission = await refund(alice, orderId, { keepCommission: true });
    expect(keepCommission.body.code).toBe('admin_only_option');

    await act(api, alice, orderId, 'ship', { trackingNumber: 'T-2' });
    await orderMatching(api, alice, orderId, { currentStep: { name: 'receive' } });
    const shipped = await refund(alice, orderId, { lines: [{ line: 0, amount: 10 }] });
    expect(shipped.body.code).toBe('refund_after_shipment');
    expect(refundedAt(paymentId)).toEqual([4000]);
  });

  it('lets an admin refund the rest after completion, from what the seller can be paid', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    await act(api, alice, orderId, 'ship', { trackingNumber: 'T-3' });
    await act(api, bob, orderId, 'confirm-receipt');
    await orderWithStatus(api, bob, orderId, 'completed');
    const availableBefore = (await balanceOf(alice)).available;

    const made = await refund(admin, orderId, { keepCommission: true });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Keeping its commission, the platform gives back only the seller's 4499.
    expect(made.body).toMatchObject({ amount: 4499, refundFee: false, lines: [{ line: 0, amount: 4499 }] });
    expect((await balanceOf(alice)).available).toBe(availableBefore - 4499);
    expect(refundedAt(paymentId)).toEqual([4499]);
    expect((await refund(admin, orderId, { keepCommission: true })).body.code).toBe('nothing_to_refund');
  });

  it('records a refund Stripe made when the request died before the table heard of it', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    simulator().webhooks.hold();
    simulator().loseNextResponses(3, 'POST /v1/refunds');
    const died = await refund(admin, orderId, { lines: [{ line: 0, amount: 700 }] });
    expect(died.status).toBe(500);
    expect((await api.call('GET', `/orders/${orderId}`, { token: bob })).body.refunds).toMatchObject([
      { status: 'pending' },
    ]);

    // Stripe's refund.created webhook finishes it: one refund, in the order and the ledger.
    simulator().webhooks.release();
    const order = await orderMatching(api, bob, orderId, { refunds: [{ status: 'succeeded', amount: 700 }] });
    expect(order.refunds).toHaveLength(1);
    expect(refundedAt(paymentId)).toEqual([700]);
  });
});

describe('a refund left pending', () => {
  it('is finished by the next refund of the order, before that one is made', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    simulator().webhooks.hold();
    simulator().loseNextResponses(3, 'POST /v1/refunds');
    const died = await refund(admin, orderId, { lines: [{ line: 0, amount: 700 }] });
    expect(died.status).toBe(500);

    const next = await refund(admin, orderId, { lines: [{ line: 0, amount: 500 }] });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    const order = await api.call('GET', `/orders/${orderId}`, { token: bob });
    expect(
      order.body.refunds.map((made: { amount: number; status: string }) => [made.amount, made.status]),
    ).toEqual([
      [700, 'succeeded'],
      [500, 'succeeded'],
    ]);
    simulator().webhooks.release();
    await simulator().webhooks.settled();
    expect(refundedAt(paymentId)).toEqual([700, 500]);
  });
});

describe('chargebacks', () => {
  it('freeze the order’s funds when opened and debit them when lost, whatever order the events come in', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    const before = await balanceOf(alice);
    simulator().webhooks.hold();
    const dispute = simulator().openDispute(paymentId);
    simulator().closeDispute(dispute.id, 'lost');
    simulator().webhooks.release('reversed');
    await simulator().webhooks.settled();

    await orderMatching(api, bob, orderId, { chargeback: { disputeId: dispute.id, status: 'lost' } });
    const after = await balanceOf(alice);
    expect(after).toMatchObject({ pending: before.pending - 4499, frozen: before.frozen });
    expect((await historyOf(api, bob, orderId)).filter((word) => word.startsWith('chargeback'))).toEqual([
      'chargeback-open',
      'chargeback-lost',
    ]);
  });

  it('give the funds back when won', async () => {
    const { orderId, paymentId } = await capturedLampOrder();
    const before = await balanceOf(alice);
    const dispute = simulator().openDispute(paymentId);
    await orderMatching(api, bob, orderId, { chargeback: { status: 'open' } });
    expect((await balanceOf(alice)).frozen).toBe(before.frozen + 4499);

    simulator().closeDispute(dispute.id, 'won');
    await orderMatching(api, bob, orderId, { chargeback: { status: 'won' } });
    expect(await balanceOf(alice)).toMatchObject({ pending: before.pending, frozen: before.frozen });
  });
});
