import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { headerNames } from '#shared/http/route.ts';
import { type ApiResponse, TestApi } from '../support/api.ts';
import { act, checkout, orderMatching, orderOffering, publishListing, stockOf } from '../support/orders.ts';
import { startRun } from '../support/payouts.ts';
import { onboardSeller } from '../support/sellers.ts';

/**
 * The one Idempotency-Key mechanism, run against every route that declares it. A scenario makes
 * what its route needs, then sends the route's request with a key: `variant` 0 and 1 are two
 * different requests, and `effect` is what the route changes, read back.
 */
interface Scenario {
  /** A caller of the route's role, and another user of the same role. */
  readonly callers: () => Promise<readonly [string, string]>;
  /** Sends the request as `token`; the same variant is the same request. */
  readonly send: (token: string, key: string, variant: 0 | 1) => Promise<ApiResponse>;
  readonly effect: () => Promise<unknown>;
}

let api: TestApi;
let seller: string;

const scenarios: Record<string, () => Promise<Scenario>> = {
  async placeCheckout() {
    const lamp = await publishListing(api, seller, { stock: 20 });
    return {
      callers: async () => [await api.token(randomUUID(), 'buyer'), await api.token(randomUUID(), 'buyer')],
      send: (token, key, variant) =>
        checkout(api, token, [{ listingId: lamp.id, quantity: 1 + variant }], key),
      effect: () => stockOf(api, lamp.id),
    };
  },

  async refundOrder() {
    const buyer = await api.token(randomUUID(), 'buyer');
    const lamp = await publishListing(api, seller, { price: { amount: 10_000, currency: 'EUR' } });
    const placed = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }]);
    const orderId: string = placed.body.orders[0].id;
    await act(api, seller, orderId, 'accept');
    await orderMatching(api, buyer, orderId, { paymentStatus: 'captured' });
    return {
      callers: async () => [await api.token(randomUUID(), 'admin'), await api.token(randomUUID(), 'admin')],
      send: (token, key, variant) =>
        api.call('POST', `/orders/${orderId}/refunds`, {
          token,
          body: { lines: [{ line: 0, amount: 1000 - 500 * variant }] },
          headers: { 'idempotency-key': key },
        }),
      effect: async () => (await api.call('GET', `/orders/${orderId}`, { token: buyer })).body.refunds,
    };
  },

  async settleDispute() {
    const buyer = await api.token(randomUUID(), 'buyer');
    /** A dispute settles once: each caller and key settles an order of its own, disputed on first use. */
    const disputes = new Map<string, Promise<string>>();
    const disputedOrder = async () => {
      const lamp = await publishListing(api, seller, { price: { amount: 10_000, currency: 'EUR' } });
      const placed = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }]);
      const orderId: string = placed.body.orders[0].id;
      await act(api, seller, orderId, 'accept');
      await act(api, seller, orderId, 'ship', { trackingNumber: 'T-1' });
      await act(api, buyer, orderId, 'open-dispute', { reason: 'Broken' });
      await orderOffering(api, admin, orderId, 'release-to-seller');
      return orderId;
    };
    const admin = await api.token(randomUUID(), 'admin');
    const orderOf = (token: string, key: string) => {
      const name = `${token} ${key}`;
      const order = disputes.get(name) ?? disputedOrder();
      disputes.set(name, order);
      return order;
    };
    return {
      callers: async () => [await api.token(randomUUID(), 'admin'), await api.token(randomUUID(), 'admin')],
      send: async (token, key, variant) =>
        api.call('POST', `/orders/${await orderOf(token, key)}/dispute/settlement`, {
          token,
          body: { refund: { amount: 1000 - 500 * variant, currency: 'EUR' }, note: 'Split' },
          headers: { 'idempotency-key': key },
        }),
      // The settlements made so far, one per settled order.
      effect: async () => {
        const settlements = await Promise.all(
          [...disputes.values()].map(async (order) => {
            const dispute = await api.call('GET', `/orders/${await order}/dispute`, { token: buyer });
            return dispute.body.settlement?.settlementId as string | undefined;
          }),
        );
        return settlements.filter(Boolean);
      },
    };
  },

  async startPayoutRun() {
    const finance = [
      await api.token(randomUUID(), 'finance'),
      await api.token(randomUUID(), 'finance'),
    ] as const;
    return {
      callers: async () => finance,
      send: (token, key, variant) =>
        startRun(api, token, { currency: variant ? 'USD' : 'EUR', dryRun: true }, key),
      effect: async () => {
        const runs = await Promise.all(finance.map((token) => api.call('GET', '/payout-runs', { token })));
        return runs[0]?.body.items.map((run: { id: string }) => run.id).sort();
      },
    };
  },
};

beforeAll(async () => {
  api = await TestApi.start();
  seller = await api.token('sol', 'seller');
  await onboardSeller(api, seller);
});
afterAll(() => api.stop());

const idempotentRoutes = Object.entries(routes).flatMap(([name, route]) =>
  'idempotent' in route && route.idempotent ? [{ name, route }] : [],
);

it('every route that takes an Idempotency-Key has a scenario here', () => {
  expect(idempotentRoutes.map(({ name }) => name).sort()).toEqual(Object.keys(scenarios).sort());
  for (const { route } of idempotentRoutes) expect(headerNames(route)).toContain('idempotency-key');
});

describe.each(idempotentRoutes.map(({ name }) => [name] as const))('%s', (name) => {
  let scenario: Scenario;
  beforeAll(async () => {
    const make = scenarios[name];
    if (!make) throw new Error(`no scenario for ${name}`);
    scenario = await make();
  });

  it('answers a retry with the first response, marked replayed, and takes effect once', async () => {
    const [caller] = await scenario.callers();
    const key = randomUUID();
    const first = await scenario.send(caller, key, 0);
    expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const effect = await scenario.effect();

    const retry = await scenario.send(caller, key, 0);
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await scenario.effect()).toEqual(effect);
  });

  it('refuses the same key with another request (422) and changes nothing', async () => {
    const [caller] = await scenario.callers();
    const key = randomUUID();
    expect((await scenario.send(caller, key, 0)).status).toBeLessThan(300);
    const effect = await scenario.effect();
    const other = await scenario.send(caller, key, 1);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await scenario.effect()).toEqual(effect);
  });

  it("keeps each user's keys apart: another user's same key is a request of its own", async () => {
    const [caller, other] = await scenario.callers();
    const key = randomUUID();
    const first = await scenario.send(caller, key, 0);
    const effect = await scenario.effect();
    const theirs = await scenario.send(other, key, 1);
    expect(theirs.status, JSON.stringify(theirs.body)).toBeLessThan(300);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body).not.toEqual(first.body);
    expect(await scenario.effect()).not.toEqual(effect);
  });

  it('converges concurrent requests with one key on one result', async () => {
    const [caller] = await scenario.callers();
    const key = randomUUID();
    const before = await scenario.effect();
    const answers = await Promise.all([0, 1, 2, 3].map(() => scenario.send(caller, key, 0)));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => answers[0]?.status));
    // One result: the same body, whichever request made it and whichever replayed it (a replayed
    // body comes back from the table, where its keys need not keep their order).
    for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
    const once = await scenario.effect();
    expect(once).not.toEqual(before);
    await scenario.send(caller, key, 0);
    expect(await scenario.effect()).toEqual(once);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('treats the key %s as any other', async (key) => {
    const [, other] = await scenario.callers();
    const first = await scenario.send(other, key, 0);
    expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
    expect((await scenario.send(other, key, 0)).body).toEqual(first.body);
  });

  it('requires the key (400) and changes nothing without it', async () => {
    const [caller] = await scenario.callers();
    const before = await scenario.effect();
    const missing = await scenario.send(caller, '', 0);
    expect(missing.status).toBe(400);
    expect(await scenario.effect()).toEqual(before);
  });
});
