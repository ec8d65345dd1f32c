import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStore } from '#shared/store/order-store.ts';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import {
  act,
  eventsOf,
  orderMatching,
  orderOffering,
  stockOf,
  twoSellerCheckout,
  vasePrice,
} from '../support/orders.ts';
import { onboardSeller, paymentSimulatorOf } from '../support/sellers.ts';
import { eventCountOf, latestPaymentIntent } from '../support/stripe.ts';

/**
 * A checkout's one capture, settled by `settleCheckoutPayment` as the workflows call it: at the
 * capture deadline with an order still undecided, by several callers at once, and refused by Stripe
 * after the authorisation expired.
 */

let api: TestApi;
let alice: string;
let sam: string;
let bob: string;
let settleCheckoutPayment: (checkoutId: string, options?: { force?: boolean }) => Promise<unknown>;
let orderStore: OrderStore;
/** By execution (order id), the states its workflow entered, in order. */
const statesEntered = new Map<string, string[]>();

beforeAll(async () => {
  api = await TestApi.start({
    meters: {
      transition: ({ execution, state }) =>
        statesEntered.set(execution, [...(statesEntered.get(execution) ?? []), state]),
    },
  });
  [alice, sam, bob] = await Promise.all([
    api.token('alice', 'seller'),
    api.token('sam', 'seller'),
    api.token('bob', 'buyer'),
  ]);
  await Promise.all([alice, sam].map((seller) => onboardSeller(api, seller)));
  // Function modules read the table's and Stripe's settings when first loaded: after the stack set them.
  // The stack loads the same modules in this process, so these are the instances its workflows call.
  ({ settleCheckoutPayment } = await import('#shared/app/orders/checkout-payment.ts'));
  ({ orderStore } = await import('#shared/app/composition/stores/order-store.ts'));
});
afterAll(() => api.stop());

const simulator = () => paymentSimulatorOf(api);

const intentOf = (paymentId: string) => latestPaymentIntent(simulator(), paymentId);
const eventCount = (type: string, objectId: string) => eventCountOf(simulator(), type, objectId);

const lampPrice = 4999;

/**
 * Waits until the order's workflow waits for the checkout's capture (its token stored with where it
 * goes next). The order's view cannot tell this from a decision still on its way to the workflow.
 */
function waitingForCapture(orderId: string) {
  return eventually(async () => {
    const order = await orderStore.get(orderId);
    expect(order, `order ${orderId} waits for the capture`).toMatchObject({
      paymentStatus: 'authorised',
      captureThen: expect.any(Object),
      taskToken: expect.any(String),
    });
    return order;
  });
}

/** A checkout where alice accepted (her order waits for the capture) and sam has not decided. */
async function lampAcceptedVaseUndecided() {
  const placed = await twoSellerCheckout(api, { buyer: bob, lampSeller: alice, vaseSeller: sam });
  expect(placed.placed.payment.status).toBe('authorised');
  await act(api, alice, placed.lampOrder, 'accept');
  await orderMatching(api, alice, placed.lampOrder, { paymentStatus: 'authorised', actions: [] });
  await waitingForCapture(placed.lampOrder);
  await orderOffering(api, sam, placed.vaseOrder, 'accept');
  return placed;
}

const countOf = async (token: string, orderId: string, type: string) =>
  (await eventsOf(api, token, orderId)).filter((event) => event.type === type).length;

describe('the capture deadline', () => {
  it('captures the order waiting and cancels the undecided one, giving back its stock', async () => {
    const { checkoutId, paymentId, vase, lampOrder, vaseOrder } = await lampAcceptedVaseUndecided();
    expect(intentOf(paymentId)?.status).toBe('requires_capture');
    expect(await stockOf(api, vase.id)).toBe(4);

    await settleCheckoutPayment(checkoutId, { force: true });

    expect(intentOf(paymentId)).toMatchObject({ status: 'succeeded', amount_received: lampPrice });
    await orderMatching(api, alice, lampOrder, { status: 'in-progress', paymentStatus: 'captured' });
    await orderOffering(api, alice, lampOrder, 'ship');

    const cancelled = await orderMatching(api, bob, vaseOrder, {
      status: 'cancelled',
      paymentStatus: 'cancelled',
    });
    expect(cancelled.cancelReason).toMatch(/captured before this order was ready/);
    expect(await stockOf(api, vase.id)).toBe(5);
    const history = await eventsOf(api, bob, vaseOrder);
    expect(history).toContainEqual(
      expect.objectContaining({
        type: 'payment-failed',
        data: { reason: expect.stringMatching(/captured before this order was ready/) },
      }),
    );
    expect(history.map((event) => event.type)).not.toContain('payment-captured');
    expect((await orderStore.getCheckout(checkoutId))?.capture).toMatchObject({
      orderIds: [lampOrder],
      amount: lampPrice,
      status: 'captured',
    });
  });
});

describe('concurrent settlements', () => {
  it('capture once when the deadline is forced by three callers at once', async () => {
    const { checkoutId, paymentId, lampOrder, vaseOrder } = await lampAcceptedVaseUndecided();

    await Promise.all([1, 2, 3].map(() => settleCheckoutPayment(checkoutId, { force: true })));

    expect(intentOf(paymentId)).toMatchObject({ status: 'succeeded', amount_received: lampPrice });
    expect(eventCount('payment_intent.succeeded', paymentId)).toBe(1);
    await orderMatching(api, alice, lampOrder, { paymentStatus: 'captured' });
    await orderOffering(api, alice, lampOrder, 'ship');
    await orderMatching(api, bob, vaseOrder, { status: 'cancelled' });
    expect(await countOf(alice, lampOrder, 'payment-captured')).toBe(1);
    expect(await countOf(bob, vaseOrder, 'payment-failed')).toBe(1);
    expect(await countOf(bob, vaseOrder, 'payment-captured')).toBe(0);
  });

  it('capture once when both sellers accepted and callers race the workflow that settles', async () => {
    const { checkoutId, paymentId, lampOrder, vaseOrder } = await lampAcceptedVaseUndecided();

    await act(api, sam, vaseOrder, 'accept');
    // Pairs of callers, over and over, until the capture is made: some run alongside the workflow's own.
    await eventually(
      async () => {
        await Promise.all([settleCheckoutPayment(checkoutId), settleCheckoutPayment(checkoutId)]);
        expect(intentOf(paymentId)?.status).toBe('succeeded');
      },
      10_000,
      20,
    );
    await Promise.all([settleCheckoutPayment(checkoutId), settleCheckoutPayment(checkoutId)]);

    expect(intentOf(paymentId)).toMatchObject({ amount_received: lampPrice + vasePrice });
    expect(eventCount('payment_intent.succeeded', paymentId)).toBe(1);
    for (const [token, orderId] of [
      [alice, lampOrder],
      [sam, vaseOrder],
    ] as const) {
      await orderMatching(api, token, orderId, { paymentStatus: 'captured' });
      await orderOffering(api, token, orderId, 'ship');
      expect(await countOf(token, orderId, 'payment-captured')).toBe(1);
    }
  });
});

describe('the capture wait', () => {
  it('is taken only by an order decided while another order of its checkout is undecided', async () => {
    const { paymentId, lampOrder, vaseOrder } = await lampAcceptedVaseUndecided();

    await act(api, sam, vaseOrder, 'accept');

    await orderOffering(api, alice, lampOrder, 'ship');
    await orderOffering(api, sam, vaseOrder, 'ship');
    expect(intentOf(paymentId)).toMatchObject({ amount_received: lampPrice + vasePrice });
    const untilShipping = [
      'FollowTransition',
      'AwaitPayment',
      'FollowTransition',
      'AwaitStep',
      'FollowTransition',
    ];
    expect(statesEntered.get(lampOrder)).toEqual([
      ...untilShipping,
      'AwaitCapture',
      'FollowTransition',
      'AwaitStep',
    ]);
    // The last decision captured the checkout before its workflow went on: no wait of its own.
    expect(statesEntered.get(vaseOrder)).toEqual([...untilShipping, 'AwaitStep']);
  });
});

describe('a capture Stripe refuses', () => {
  // Moves the simulator's clock past every authorisation of this file: it runs last.
  it('cancels every order of the checkout when the authorisation expired before the capture', async () => {
    const { checkoutId, paymentId, lamp, vase, lampOrder, vaseOrder } = await lampAcceptedVaseUndecided();

    simulator().advanceClock(8 * 24 * 60 * 60);
    expect(intentOf(paymentId)).toMatchObject({ status: 'canceled', amount_received: 0 });
    await act(api, sam, vaseOrder, 'accept');

    await eventually(async () =>
      expect((await orderStore.getCheckout(checkoutId))?.capture).toMatchObject({
        orderIds: expect.arrayContaining([lampOrder, vaseOrder]),
        status: 'refused',
      }),
    );
    for (const [token, orderId] of [
      [alice, lampOrder],
      [sam, vaseOrder],
    ] as const) {
      const order = await orderMatching(api, token, orderId, { status: 'cancelled' });
      expect(order.paymentStatus).not.toBe('captured');
      expect(order.cancelReason).toMatch(/could not be captured/);
      expect(await countOf(token, orderId, 'payment-failed')).toBe(1);
      expect(await countOf(token, orderId, 'payment-captured')).toBe(0);
    }
    expect(await stockOf(api, lamp.id)).toBe(5);
    expect(await stockOf(api, vase.id)).toBe(5);
    expect(eventCount('payment_intent.succeeded', paymentId)).toBe(0);
    expect(intentOf(paymentId)?.amount_received).toBe(0);
  });
});
