import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Order, recordCancellation } from '#shared/domain/order.ts';
import type { PaymentState } from '#shared/payments/port.ts';
import type { Checkout, CheckoutCapture } from '#shared/store/checkout-records.ts';
import type { ListingStore } from '#shared/store/listing-store.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { newId, storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

/**
 * The checkout's one payment as the order store keeps it: the furthest stage the provider reported,
 * the one capture recorded before the provider is asked, and the first outcome recorded.
 */

let listings: ListingStore;
let orders: OrderStore;
let publishedListing: ReturnType<typeof storeCheckouts>['publishedListing'];
let placeCheckout: ReturnType<typeof storeCheckouts>['placeCheckout'];
let prepareCheckout: ReturnType<typeof storeCheckouts>['prepareCheckout'];

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  ({ listings, orders, publishedListing, placeCheckout, prepareCheckout } = storeCheckouts(
    client,
    tableName,
  ));
});

/** A placed checkout of one lamp from each of `sellers` sellers: one order per seller. */
async function placedCheckout(sellers = 2): Promise<{ checkout: Checkout; orders: Order[] }> {
  const bought = await Promise.all(Array.from({ length: sellers }, () => publishedListing()));
  const placed = await placeCheckout(
    newId('buyer'),
    bought.map((listing) => ({ listing, quantity: 1 })),
  );
  return { checkout: placed.checkout, orders: [...placed.orders] };
}

const payment = (status: PaymentState['status'], overrides: Partial<PaymentState> = {}): PaymentState => ({
  paymentId: 'pi_first',
  status,
  clientSecret: 'pi_first_secret_abc',
  ...overrides,
});

const at = (minute: number) => new Date(`2030-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`);

function captureOf(included: readonly Order[]): CheckoutCapture {
  return {
    orderIds: included.map((order) => order.id),
    amount: included.reduce((sum, order) => sum + order.total, 0),
    status: 'requested',
    requestedAt: new Date().toISOString(),
  };
}

const storedCheckout = async (checkoutId: string) => {
  const checkout = await orders.getCheckout(checkoutId);
  if (!checkout) throw new Error(`checkout ${checkoutId} is missing`);
  return checkout;
};

describe('OrderStore.recordFirstPayment', () => {
  /** A checkout of one lamp placed for a buyer allowed one unpaid checkout, as placed. */
  async function placedWithOneSlot(buyerId: string): Promise<Checkout> {
    const prepared = await prepareCheckout(buyerId, [{ listing: await publishedListing(), quantity: 1 }]);
    await orders.placeCheckout({ ...prepared, unpaidLimit: 1 });
    return prepared.checkout;
  }

  it("records a checkout's first report and gives the buyer's slot back in the same write", async () => {
    const buyerId = newId('buyer');
    const placed = await placedWithOneSlot(buyerId);

    expect(await orders.recordFirstPayment(placed, payment('authorised'), true, at(1))).toBe(true);

    const recorded = await storedCheckout(placed.id);
    expect(recorded).toMatchObject({ payment: { status: 'authorised' }, authorisedAt: at(1).toISOString() });
    expect(recorded).not.toHaveProperty('holdsUnpaidSlot');
    expect(recorded.payment).not.toHaveProperty('clientSecret');
    // The slot is free again: the buyer may place another checkout.
    await placedWithOneSlot(buyerId);
  });

  it('keeps the slot while the buyer has yet to pay', async () => {
    const buyerId = newId('buyer');
    const placed = await placedWithOneSlot(buyerId);

    expect(await orders.recordFirstPayment(placed, payment('requires-action'), false, at(1))).toBe(true);

    expect(await storedCheckout(placed.id)).toMatchObject({
      holdsUnpaidSlot: true,
      payment: { status: 'requires-action' },
    });
    await expect(placedWithOneSlot(buyerId)).rejects.toMatchObject({ code: 'too_many_unpaid_checkouts' });
  });

  it('answers nothing and changes nothing when a report was recorded first', async () => {
    const placed = await placedWithOneSlot(newId('buyer'));
    await orders.setCheckoutPayment(placed.id, payment('requires-action'), at(1));
    const before = await storedCheckout(placed.id);

    expect(await orders.recordFirstPayment(placed, payment('authorised'), true, at(2))).toBe(false);
    expect(await storedCheckout(placed.id)).toEqual(before);
  });

  it('records an authorisation only while no order of the checkout waits for it: a waiting one needs it applied', async () => {
    const placed = await placedWithOneSlot(newId('buyer'));
    const [orderId = ''] = placed.orderIds;
    await orders.beginPaymentWait(orderId, { taskToken: 'token-1', deadline: at(30).toISOString() });
    const before = await storedCheckout(placed.id);

    expect(await orders.recordFirstPayment(placed, payment('authorised'), true, at(2))).toBe(false);
    expect(await storedCheckout(placed.id)).toEqual(before);
  });
});

describe('OrderStore.setCheckoutPayment', () => {
  it('keeps an authorised payment when a late requires-action report arrives', async () => {
    const { checkout } = await placedCheckout(1);
    await orders.setCheckoutPayment(checkout.id, payment('requires-action'), at(1));
    const authorised = await orders.setCheckoutPayment(
      checkout.id,
      payment('authorised', { captureBefore: '2030-03-08T10:01:00.000Z' }),
      at(2),
    );
    expect(authorised.payment).toEqual({
      paymentId: 'pi_first',
      status: 'authorised',
      captureBefore: '2030-03-08T10:01:00.000Z',
    });

    const late = await orders.setCheckoutPayment(checkout.id, payment('requires-action'), at(3));
    expect(late).toEqual(authorised);
    expect(await storedCheckout(checkout.id)).toEqual({
      ...checkout,
      holdsUnpaidSlot: true,
      payment: { paymentId: 'pi_first', status: 'authorised', captureBefore: '2030-03-08T10:01:00.000Z' },
      authorisedAt: at(2).toISOString(),
    });
  });

  it('lets reports of equal stages replace each other', async () => {
    const { checkout } = await placedCheckout(1);
    await orders.setCheckoutPayment(checkout.id, payment('requires-action'), at(1));
    const failed = await orders.setCheckoutPayment(
      checkout.id,
      payment('requires-payment-method', { failure: 'Your card was declined.' }),
      at(2),
    );
    expect(failed.payment).toEqual({
      paymentId: 'pi_first',
      status: 'requires-payment-method',
      failure: 'Your card was declined.',
    });
    const again = await orders.setCheckoutPayment(checkout.id, payment('requires-action'), at(3));
    expect(again.payment).toEqual({ paymentId: 'pi_first', status: 'requires-action' });
    expect((await storedCheckout(checkout.id)).payment?.status).toBe('requires-action');
  });

  it('sets authorisedAt at the first authorised report and keeps it through later ones', async () => {
    const { checkout } = await placedCheckout(1);
    const pending = await orders.setCheckoutPayment(checkout.id, payment('processing'), at(1));
    expect(pending.authorisedAt).toBeUndefined();

    await orders.setCheckoutPayment(checkout.id, payment('authorised'), at(2));
    const twice = await orders.setCheckoutPayment(checkout.id, payment('authorised'), at(5));
    expect(twice.authorisedAt).toBe(at(2).toISOString());
    const captured = await orders.setCheckoutPayment(checkout.id, payment('captured'), at(9));
    expect(captured).toMatchObject({ payment: { status: 'captured' }, authorisedAt: at(2).toISOString() });
    expect((await storedCheckout(checkout.id)).authorisedAt).toBe(at(2).toISOString());
  });

  it('never stores the client secret, nor its stage counter', async () => {
    const { checkout } = await placedCheckout(1);
    const answered = await orders.setCheckoutPayment(checkout.id, payment('requires-action'));
    const stored = await storedCheckout(checkout.id);
    for (const seen of [answered, stored]) {
      expect(seen.payment).toEqual({ paymentId: 'pi_first', status: 'requires-action' });
      expect(JSON.stringify(seen)).not.toContain('secret');
      expect(seen).not.toHaveProperty('paymentProgress');
    }
  });

  it('keeps the first payment when another payment is reported, whatever its stage', async () => {
    const { checkout } = await placedCheckout(1);
    await orders.setCheckoutPayment(checkout.id, payment('requires-action'), at(1));
    const other = await orders.setCheckoutPayment(
      checkout.id,
      payment('authorised', { paymentId: 'pi_second', clientSecret: 'pi_second_secret' }),
      at(2),
    );
    expect(other.payment).toEqual({ paymentId: 'pi_first', status: 'requires-action' });
    expect(other.authorisedAt).toBeUndefined();
    expect(await storedCheckout(checkout.id)).toEqual({
      ...checkout,
      holdsUnpaidSlot: true,
      payment: { paymentId: 'pi_first', status: 'requires-action' },
    });
  });

  it('refuses a checkout that does not exist, creating nothing', async () => {
    const checkoutId = randomUUID();
    await expect(orders.setCheckoutPayment(checkoutId, payment('authorised'))).rejects.toThrow(
      `checkout ${checkoutId} does not exist`,
    );
    expect(await orders.getCheckout(checkoutId)).toBeUndefined();
  });
});

describe('OrderStore.requestCheckoutCapture', () => {
  it('records the capture once; a second request answers the first one recorded', async () => {
    const { checkout, orders: [first, second] = [] } = await placedCheckout();
    if (!first || !second) throw new Error('the checkout planned two orders');
    const capture = captureOf([first]);
    expect(await orders.requestCheckoutCapture(checkout.id, capture, [first])).toEqual(capture);
    expect((await storedCheckout(checkout.id)).capture).toEqual(capture);

    const both = captureOf([first, second]);
    expect(await orders.requestCheckoutCapture(checkout.id, both, [first, second])).toEqual(capture);
    expect((await storedCheckout(checkout.id)).capture).toEqual(capture);
  });

  it('answers the recorded capture to concurrent requests, one of them recorded', async () => {
    const { checkout, orders: placed } = await placedCheckout();
    const choices = [placed, placed.slice(0, 1), placed.slice(1), []];
    const requests = choices.map((included) => captureOf(included));
    const answers = await Promise.all(
      choices.map((included, index) =>
        orders.requestCheckoutCapture(checkout.id, requests[index] ?? captureOf([]), included),
      ),
    );
    const recorded = (await storedCheckout(checkout.id)).capture;
    expect(requests).toContainEqual(recorded);
    expect(answers).toEqual(requests.map(() => recorded));
  });

  it('records nothing and answers undefined when an included order changed since it was read', async () => {
    const { checkout, orders: [first, second] = [] } = await placedCheckout();
    if (!first || !second) throw new Error('the checkout planned two orders');
    await orders.update(first.id, (current) => ({ order: { ...current, taskToken: 'moved-on' } }));

    const stale = captureOf([first, second]);
    expect(await orders.requestCheckoutCapture(checkout.id, stale, [first, second])).toBeUndefined();
    expect((await storedCheckout(checkout.id)).capture).toBeUndefined();

    // Decided again from a fresh read, it is recorded.
    const fresh = await orders.get(first.id);
    if (!fresh) throw new Error('the order is missing');
    const decided = captureOf([fresh, second]);
    expect(await orders.requestCheckoutCapture(checkout.id, decided, [fresh, second])).toEqual(decided);
  });

  it('records a cancellation (no orders, nothing to take) as the capture', async () => {
    const { checkout } = await placedCheckout();
    const none = captureOf([]);
    expect(none.amount).toBe(0);
    expect(await orders.requestCheckoutCapture(checkout.id, none, [])).toEqual(none);
    expect((await storedCheckout(checkout.id)).capture).toEqual(none);
  });
});

describe('OrderStore.settleCheckoutCapture', () => {
  it('records the first outcome; a later one does not overwrite it', async () => {
    const { checkout, orders: placed } = await placedCheckout();
    const capture = captureOf(placed);
    await orders.requestCheckoutCapture(checkout.id, capture, placed);

    const captured = await orders.settleCheckoutCapture(checkout.id, { status: 'captured' }, at(4));
    expect(captured).toEqual({ ...capture, status: 'captured', settledAt: at(4).toISOString() });
    const refused = await orders.settleCheckoutCapture(
      checkout.id,
      { status: 'refused', reason: 'the PaymentIntent was canceled' },
      at(5),
    );
    expect(refused).toEqual(captured);
    expect((await storedCheckout(checkout.id)).capture).toEqual(captured);
  });

  it('records a refusal with its reason, which a later capture does not overwrite', async () => {
    const { checkout, orders: placed } = await placedCheckout();
    await orders.requestCheckoutCapture(checkout.id, captureOf(placed), placed);
    const refused = await orders.settleCheckoutCapture(
      checkout.id,
      { status: 'refused', reason: 'expired' },
      at(4),
    );
    expect(refused).toMatchObject({ status: 'refused', reason: 'expired', settledAt: at(4).toISOString() });
    expect(await orders.settleCheckoutCapture(checkout.id, { status: 'captured' })).toEqual(refused);
  });

  it('lets one of concurrent outcomes stand and answers it to all', async () => {
    const { checkout, orders: placed } = await placedCheckout();
    await orders.requestCheckoutCapture(checkout.id, captureOf(placed), placed);
    const answers = await Promise.all([
      orders.settleCheckoutCapture(checkout.id, { status: 'captured' }),
      orders.settleCheckoutCapture(checkout.id, { status: 'refused', reason: 'no' }),
      orders.settleCheckoutCapture(checkout.id, { status: 'captured' }),
    ]);
    const recorded = (await storedCheckout(checkout.id)).capture;
    expect(answers).toEqual([recorded, recorded, recorded]);
  });

  it('refuses to settle a checkout with no capture requested', async () => {
    const { checkout } = await placedCheckout(1);
    await expect(orders.settleCheckoutCapture(checkout.id, { status: 'captured' })).rejects.toThrow(
      `checkout ${checkout.id} has no capture`,
    );
    expect((await storedCheckout(checkout.id)).capture).toBeUndefined();
  });
});

describe('OrderStore.captureExcludes', () => {
  /** Cancels the order in a transaction conditional on the checkout's capture leaving it out. */
  const cancelOutsideCapture = (checkoutId: string, orderId: string) =>
    orders.update(orderId, (current) => recordCancellation(current, 'test', 'cancelled', new Date()), {
      releaseStock: true,
      alsoWrite: () => [orders.captureExcludes(checkoutId, orderId)],
    });

  it('passes while the checkout has no capture', async () => {
    const { checkout, orders: [order] = [] } = await placedCheckout(1);
    if (!order) throw new Error('the checkout planned an order');
    expect(await cancelOutsideCapture(checkout.id, order.id)).toMatchObject({ status: 'cancelled' });
  });

  it('passes when the capture leaves the order out', async () => {
    const { checkout, orders: [first, second] = [] } = await placedCheckout();
    if (!first || !second) throw new Error('the checkout planned two orders');
    await orders.requestCheckoutCapture(checkout.id, captureOf([first]), [first]);
    expect(await cancelOutsideCapture(checkout.id, second.id)).toMatchObject({ status: 'cancelled' });
  });

  it('fails the transaction when the capture includes the order, which stays as it was', async () => {
    const { checkout, orders: [first, second] = [] } = await placedCheckout();
    if (!first || !second) throw new Error('the checkout planned two orders');
    await orders.requestCheckoutCapture(checkout.id, captureOf([first, second]), [first, second]);
    const stockBefore = (await listings.get(first.lines[0]?.listingId ?? ''))?.stock;

    const error = await cancelOutsideCapture(checkout.id, first.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(await orders.get(first.id)).toEqual(first);
    expect((await listings.get(first.lines[0]?.listingId ?? ''))?.stock).toBe(stockBefore);
  });
});
