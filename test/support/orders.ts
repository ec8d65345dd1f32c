import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type PaymentSimulator, startPaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { type ApiResponse, TestApi } from './api.ts';
import { eventually } from './eventually.ts';
import { lampContent } from './fixtures.ts';
import { freePort } from './free-port.ts';
import { providersAccept, providersAreSellers } from './providers.ts';

/**
 * A published listing of `seller`, who must be onboarded (see onboardSeller), with the given
 * overrides. The providers it names become sellers and accept first.
 */
export async function publishListing(
  api: TestApi,
  sellerToken: string,
  overrides: Record<string, unknown> & {
    providers?: { party: string; userId: string; shareBps: number }[];
  } = {},
) {
  const providers = overrides.providers ?? [];
  await providersAreSellers(api, providers);
  const created = await api.call('POST', '/listings', {
    token: sellerToken,
    body: { ...lampContent, ...overrides },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await providersAccept(api, created.body.id, providers);
  const published = await api.call('POST', `/listings/${created.body.id}/publish`, { token: sellerToken });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return published.body as {
    id: string;
    sellerId: string;
    stock: number;
    price: { amount: number; currency: string };
  };
}

/** Stripe's test card that authorises without authentication. */
export const testCard = 'pm_card_visa';

/** Checks out `lines`, paying with `paymentMethod`. */
export function checkout(
  api: TestApi,
  buyerToken: string,
  lines: readonly { listingId: string; quantity: number; data?: Record<string, string> }[],
  key: string = randomUUID(),
  paymentMethod: string = testCard,
): Promise<ApiResponse> {
  return api.call('POST', '/checkouts', {
    token: buyerToken,
    body: { lines, paymentMethod },
    headers: { 'idempotency-key': key },
  });
}

/** Checks out one of the listing without a payment method: the buyer's client would confirm later. */
export const unpaidCheckout = (api: TestApi, buyerToken: string, listingId: string) =>
  api.call('POST', '/checkouts', {
    token: buyerToken,
    body: { lines: [{ listingId, quantity: 1 }] },
    headers: { 'idempotency-key': randomUUID() },
  });

/** Waits until the order offers `token`'s user the action, then takes it. */
export async function act(
  api: TestApi,
  token: string,
  orderId: string,
  action: string,
  data?: Record<string, string>,
): Promise<ApiResponse> {
  await orderOffering(api, token, orderId, action);
  return api.call('POST', `/orders/${orderId}/actions/${action}`, {
    token,
    ...(data ? { body: { data } } : {}),
  });
}

/** Waits until the order reaches `status`, and returns it. */
export const orderWithStatus = (api: TestApi, token: string, orderId: string, status: string) =>
  orderMatching(api, token, orderId, { status });

/** The listing's stock as the public sees it. */
export async function stockOf(api: TestApi, listingId: string): Promise<number> {
  const listing = await api.call('GET', `/listings/${listingId}`);
  expect(listing.status).toBe(200);
  return listing.body.stock;
}

export interface OrderEventView {
  readonly seq: number;
  readonly by: { readonly party: string; readonly userId?: string };
  readonly type: string;
  readonly step?: string;
  readonly action?: string;
  readonly data?: Record<string, string>;
}

/** The order's history, oldest first. */
export async function eventsOf(api: TestApi, token: string, orderId: string): Promise<OrderEventView[]> {
  const events = await api.call('GET', `/orders/${orderId}/events?limit=100`, { token });
  expect(events.status, JSON.stringify(events.body)).toBe(200);
  return events.body.items;
}

/** What happened to the order, one word per event: the action taken, else the event's type. */
export async function historyOf(api: TestApi, token: string, orderId: string): Promise<string[]> {
  return (await eventsOf(api, token, orderId)).map((event) => event.action ?? event.type);
}

/** The history of a default purchase that went its whole way, one word per event (see historyOf). */
export const completedPurchaseHistory = [
  'placed',
  'payment-authorised',
  'accept',
  'payment-captured',
  'ship',
  'confirm-receipt',
  'completed',
];

/** The vase of `twoSellerCheckout`; its lamp has the fixture's price, 4999. */
export const vasePrice = 2500;

/**
 * A cart of `lampSeller`'s lamp and `vaseSeller`'s vase, checked out by `buyer` paying with
 * `paymentMethod`: one checkout, one payment, one order per seller.
 */
export async function twoSellerCheckout(
  api: TestApi,
  { buyer, lampSeller, vaseSeller }: { buyer: string; lampSeller: string; vaseSeller: string },
  paymentMethod: string = testCard,
) {
  const [lamp, vase] = await Promise.all([
    publishListing(api, lampSeller, { stock: 5 }),
    publishListing(api, vaseSeller, {
      title: 'Blue vase',
      stock: 5,
      price: { amount: vasePrice, currency: 'EUR' },
    }),
  ]);
  const lines = [lamp, vase].map((listing) => ({ listingId: listing.id, quantity: 1 }));
  const placed = await checkout(api, buyer, lines, randomUUID(), paymentMethod);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderOf = (listing: { sellerId: string }) =>
    placed.body.orders.find((order: { sellerId: string }) => order.sellerId === listing.sellerId)
      .id as string;
  return {
    placed: placed.body,
    checkoutId: placed.body.id as string,
    paymentId: placed.body.payment.id as string,
    lamp,
    vase,
    lampOrder: orderOf(lamp),
    vaseOrder: orderOf(vase),
  };
}

/** The ids of the orders `token`'s user takes part in. */
export async function orderIdsOf(api: TestApi, token: string): Promise<string[]> {
  const orders = await api.call('GET', '/orders?limit=100', { token });
  expect(orders.status, JSON.stringify(orders.body)).toBe(200);
  return orders.body.items.map((order: { orderId: string }) => order.orderId);
}

/** Checks out one listing for `buyer` and returns the one order it made. */
export async function placeOrder(
  api: TestApi,
  buyerToken: string,
  listingId: string,
  data?: Record<string, string>,
): Promise<string> {
  const placed = await checkout(api, buyerToken, [{ listingId, quantity: 1, ...(data ? { data } : {}) }]);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.orders[0].id;
}

/** Resolves when the order's workflow execution ends, or fails after `timeoutMs`. */
export function settledWithin(api: TestApi, orderId: string, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the workflow of order ${orderId} did not end within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([api.stack.orderWorkflows.settled(orderId), expired]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * Where a local stack keeps its data and its Stripe: another stack started at the same place finds
 * them again. Stop the place's payment simulator when done.
 */
export interface StackPlace {
  readonly port: number;
  readonly dataDir: string;
  readonly dynamoDbPort: number;
  readonly awsPort: number;
  readonly tableName: string;
  readonly paymentSimulator: PaymentSimulator;
}

export async function newStackPlace(dataDir: string): Promise<StackPlace> {
  const port = await freePort();
  const paymentSimulator = await startPaymentSimulator({
    webhook: { url: `http://127.0.0.1:${port}/webhooks/stripe`, secret: `whsec_${randomUUID()}` },
  });
  return {
    port,
    dataDir,
    dynamoDbPort: await freePort(),
    awsPort: await freePort(),
    tableName: `marketplace-e2e-${randomUUID()}`,
    paymentSimulator,
  };
}

/** The local marketplace started at `place`, with workflow time scaled as given. */
export const startApiAt = (place: StackPlace, workflowMsPerSecond?: number) =>
  TestApi.start({ ...place, ...(workflowMsPerSecond === undefined ? {} : { workflowMsPerSecond }) });

/** Waits until the order offers `token`'s user the action (the workflow waits for them), and returns it. */
export function orderOffering(api: TestApi, token: string, orderId: string, action: string) {
  return eventually(async () => {
    const order = await api.call('GET', `/orders/${orderId}`, { token });
    expect(order.body.actions.map((offered: { name: string }) => offered.name)).toContain(action);
    return order.body;
  });
}

/** Waits until the order matches `expected`; a failure says where the order stands instead. */
export function orderMatching(
  api: TestApi,
  token: string,
  orderId: string,
  expected: Record<string, unknown>,
  timeoutMs = 10_000,
) {
  return eventually(async () => {
    const { body } = await api.call('GET', `/orders/${orderId}`, { token });
    const { status, currentStep, cancelReason } = body;
    const standing = [status, currentStep && `at step ${currentStep.name}`, cancelReason].filter(Boolean);
    expect(body, `the order is ${standing.join(', ')}`).toMatchObject(expected);
    return body;
  }, timeoutMs);
}

/** Waits until the workflow waits at `step` of the order, whoever's turn it is, and returns the order. */
export const orderAtStep = (api: TestApi, token: string, orderId: string, step: string) =>
  orderMatching(api, token, orderId, {
    status: 'in-progress',
    currentStep: { name: step, deadline: expect.any(String) },
  });

/** Waits, past the step's deadline, until the order's wait at `step` has timed out; returns the history. */
export async function timedOutAt(api: TestApi, token: string, orderId: string, step: string) {
  const { currentStep } = await orderAtStep(api, token, orderId, step);
  const timeLeft = Date.parse(currentStep.deadline) - Date.now();
  return eventually(
    async () => {
      const events = await eventsOf(api, token, orderId);
      expect(events).toContainEqual(expect.objectContaining({ type: 'timed-out', step }));
      return events;
    },
    timeLeft + 5000,
    200,
  );
}
