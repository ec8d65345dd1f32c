import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedMail } from '#infra/local/mail-sink.ts';
import { expectProblem, TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import {
  act,
  orderAtStep,
  orderMatching,
  orderWithStatus,
  placeOrder,
  publishListing,
} from '../support/orders.ts';
import { onboardedSeller, type PayoutSeller, settledRun, startRun } from '../support/payouts.ts';

/**
 * A seller's dashboard after scripted orders, and a quality rule on their acceptance rate: warned
 * first (an event and a mail), then their payouts held, which a payout run honours; an admin's
 * release of the hold sticks while the rate stays past the limit (docs/design/seller-quality.md).
 */

let api: TestApi;
let admin: string;
let finance: string;
let buyer: string;
let otherSeller: string;
let seller: PayoutSeller;
let listingId: string;

const price = 2000;
const rules = '/admin/quality-rules';
const acceptanceRule = {
  kpi: 'acceptanceRate',
  windowDays: 30,
  warning: 75,
  limit: 50,
  minOrders: 2,
  action: 'hold-payouts',
};

beforeAll(async () => {
  // Each function in a worker with its role from the template: a grant the dashboard, the rules or
  // the projection lack fails here.
  api = await TestApi.start({ isolate: true });
  [admin, finance, buyer, otherSeller] = await Promise.all([
    api.token('sq-ada', 'admin'),
    api.token('sq-fin', 'finance'),
    api.token('sq-bea', 'buyer'),
    api.token('sq-sid', 'seller'),
  ]);
  seller = await onboardedSeller(api);
  listingId = (
    await publishListing(api, seller.token, { price: { amount: price, currency: 'EUR' }, stock: 20 })
  ).id;
}, 240_000);
afterAll(() => api.stop());

const dashboard = async (token = seller.token, path = '/sellers/me/dashboard') => {
  const answer = await api.call('GET', path, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

/** Waits until the dashboard shows what `expected` says (the projection follows the stream). */
const dashboardMatching = (expected: Record<string, unknown>) =>
  eventually(async () => {
    const body = await dashboard();
    expect(body).toMatchObject(expected);
    return body;
  }, 20_000);

const mailTo = async (address: string): Promise<CapturedMail[]> =>
  (await api.stack.mail.messages()).filter((mail) => mail.to.includes(address));

const emailOf = (userId: string) => api.stack.users.find(userId)?.email ?? '';

/** An order placed and waiting for the seller at its accept step. */
async function awaitingAcceptance() {
  const orderId = await placeOrder(api, buyer, listingId);
  await orderAtStep(api, buyer, orderId, 'accept');
  return orderId;
}

describe('the seller quality rules', () => {
  it('are for admins, validated, and versioned with If-Match', async () => {
    expect((await api.call('GET', rules, { token: seller.token })).status).toBe(403);
    const none = await api.call('GET', rules, { token: admin });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ rules: [], version: 0 });
    expect(none.headers.get('etag')).toBe('"0"');
    for (const rule of [
      { ...acceptanceRule, warning: 40 },
      { ...acceptanceRule, limit: 120 },
      { ...acceptanceRule, kpi: 'averageRating', warning: 4, limit: 7 },
      { ...acceptanceRule, minOrders: 0 },
      { ...acceptanceRule, action: 'ban' },
      { ...acceptanceRule, extra: true },
    ]) {
      expectProblem(await api.call('PUT', rules, { token: admin, body: { rules: [rule] } }), 400);
    }
    const twice = await api.call('PUT', rules, {
      token: admin,
      body: { rules: [acceptanceRule, acceptanceRule] },
    });
    expectProblem(twice, 400);
    expect(JSON.stringify(twice.body.errors)).toMatch(/acceptanceRate has a rule already/);
    expect((await api.call('GET', rules, { token: admin })).body.version).toBe(0);

    const saved = await api.call('PUT', rules, { token: admin, body: { rules: [acceptanceRule] } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ rules: [acceptanceRule], version: 1, updatedBy: 'sq-ada' });
    expectProblem(await api.call('PUT', rules, { token: admin, body: { rules: [] } }), 428);
    expectProblem(
      await api.call('PUT', rules, { token: admin, body: { rules: [] }, headers: { 'if-match': '"7"' } }),
      412,
    );
    const again = await api.call('PUT', rules, {
      token: admin,
      body: { rules: [acceptanceRule] },
      headers: { 'if-match': '"1"' },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe('"2"');
  });
});

describe("a seller's dashboard", () => {
  let firstOrder: string;

  it('counts the orders, those waiting for the seller with deadlines, revenue, balances and KPIs', async () => {
    const waiting = [await awaitingAcceptance(), await awaitingAcceptance()];
    const early = await dashboardMatching({ orders: { byStatus: { 'in-progress': 2 } } });
    expect(early.orders.waitingForSeller.map((order: { orderId: string }) => order.orderId).sort()).toEqual(
      [...waiting].sort(),
    );
    expect(early.orders.waitingForSeller[0]).toMatchObject({ step: 'accept', currency: 'EUR', total: price });
    expect(Date.parse(early.orders.waitingForSeller[0].deadline)).toBeGreaterThan(Date.now());

    [firstOrder] = waiting as [string, string];
    for (const orderId of waiting) expect((await act(api, seller.token, orderId, 'accept')).status).toBe(200);
    await orderMatching(api, buyer, firstOrder, { paymentStatus: 'captured' });
    expect((await act(api, seller.token, firstOrder, 'ship', { trackingNumber: 'SQ-1' })).status).toBe(200);
    expect((await act(api, buyer, firstOrder, 'confirm-receipt')).status).toBe(200);
    await orderWithStatus(api, buyer, firstOrder, 'completed');

    const mine = await dashboardMatching({
      orders: { byStatus: { 'awaiting-payment': 0, 'in-progress': 1, completed: 1, cancelled: 0 } },
      revenue: [{ currency: 'EUR', last30Days: 2 * price, last90Days: 2 * price }],
      quality: {
        last30Days: {
          acceptanceRate: { value: 100, samples: 2 },
          lateShipmentRate: { value: 0, samples: 1 },
          cancellationRate: { value: 0, samples: 1 },
          medianAcceptanceSeconds: { samples: 2 },
        },
        levels: { acceptanceRate: 'ok' },
        notices: [],
      },
      suspended: false,
    });
    // Waiting to ship: the second order; the first is done.
    expect(mine.orders.waitingForSeller).toEqual([
      expect.objectContaining({ orderId: waiting[1], step: 'ship' }),
    ]);
    const [eur] = mine.balances;
    expect(eur).toMatchObject({
      currency: 'EUR',
      available: expect.any(Number),
      pending: expect.any(Number),
    });
    expect(eur.available).toBeGreaterThan(0);
    expect(eur.nextPayout).toEqual({ amount: eur.available });
    expect(mine.quality.last30Days.medianAcceptanceSeconds.value).toBeLessThanOrEqual(300);

    // An admin reads the same dashboard by the seller's id; other callers cannot.
    const byAdmin = await dashboard(admin, `/admin/sellers/${seller.sellerId}/dashboard`);
    expect({ ...byAdmin, asOf: '' }).toEqual({ ...mine, asOf: '' });
    expectProblem(await api.call('GET', '/admin/sellers/sq-nobody/dashboard', { token: admin }), 404);
    expect(
      (await api.call('GET', `/admin/sellers/${seller.sellerId}/dashboard`, { token: otherSeller })).status,
    ).toBe(403);
    expect((await api.call('GET', '/sellers/me/dashboard', { token: buyer })).status).toBe(403);
    // Another seller's own dashboard is theirs: without a profile, there is none.
    expectProblem(await api.call('GET', '/sellers/me/dashboard', { token: otherSeller }), 404);
  }, 120_000);
});

// The seller above carries on: 2 of 2 accepted so far.
describe('quality rules acting on sellers', () => {
  it('warns the seller crossing the warning level, then holds their payouts at the limit; a release sticks', async () => {
    const [third, fourth, fifth] = [
      await awaitingAcceptance(),
      await awaitingAcceptance(),
      await awaitingAcceptance(),
    ];
    // 2 of 3 accepted: 66.67 %, past the warning level (75 %), not the limit (50 %).
    expect((await act(api, seller.token, third, 'decline', { reason: 'Out of stock' })).status).toBe(200);
    const warned = await dashboardMatching({ quality: { levels: { acceptanceRate: 'warning' } } });
    expect(warned.quality.notices).toEqual([
      expect.objectContaining({
        kpi: 'acceptanceRate',
        level: 'warning',
        value: 66.67,
        threshold: 75,
        samples: 3,
      }),
    ]);
    expect(warned.payoutHold).toBeUndefined();
    const warning = await eventually(async () => {
      const mail = (await mailTo(emailOf(seller.sellerId))).find((sent) =>
        /Quality warning/.test(sent.subject),
      );
      expect(mail).toBeDefined();
      return mail as CapturedMail;
    }, 30_000);
    expect(warning.subject).toBe('Quality warning: your acceptance rate is 66.67 %');
    const feed = await api.call('GET', '/sellers/me/events?types=seller.quality_warning', {
      token: seller.token,
    });
    expect(feed.body.events).toEqual([
      expect.objectContaining({
        type: 'seller.quality_warning',
        subject: { kind: 'user', id: seller.sellerId },
        data: expect.objectContaining({ kpi: 'acceptanceRate', value: 66.67, threshold: 75 }),
      }),
    ]);

    // 2 of 4: at the limit. Payouts held, and a run skips the seller.
    expect((await act(api, seller.token, fourth, 'decline')).status).toBe(200);
    const held = await dashboardMatching({
      quality: { levels: { acceptanceRate: 'limit' } },
      payoutHold: { reason: expect.stringContaining('acceptanceRate') },
    });
    expect(held.quality.notices.map((notice: { level: string }) => notice.level)).toEqual([
      'limit',
      'warning',
    ]);
    expect(held.balances[0].nextPayout).toEqual({ skipReason: 'payout_hold' });
    await eventually(async () => {
      const subjects = (await mailTo(emailOf(seller.sellerId))).map((mail) => mail.subject);
      expect(subjects).toContain('Quality limit reached: your acceptance rate is 50 %');
    }, 30_000);
    const run = await startRun(api, finance, { currency: 'EUR' });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const settled = await settledRun(api, finance, run.body.runId);
    expect(
      settled.lines.items.find((line: { sellerId: string }) => line.sellerId === seller.sellerId),
    ).toMatchObject({
      status: 'skipped',
      skipReason: 'payout_hold',
    });
    const audit = await api.call('GET', `/admin/audit?target=user:${seller.sellerId}`, { token: admin });
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'payout-hold.placed', actor: 'quality-rules' }),
    ]);

    // An admin releases the hold; a further decline keeps the rate past the limit: no new hold.
    const released = await api.call('DELETE', `/sellers/${seller.sellerId}/payout-hold`, {
      token: admin,
      body: { reason: 'Supplier strike, checked' },
    });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect((await act(api, seller.token, fifth, 'decline')).status).toBe(200);
    const after = await dashboardMatching({ quality: { last30Days: { acceptanceRate: { samples: 5 } } } });
    expect(after.payoutHold).toBeUndefined();
    expect(after.quality.levels).toEqual({ acceptanceRate: 'limit' });
    expect(after.quality.notices).toHaveLength(2);
  }, 180_000);

  it('suspends a seller whose dispute rate crosses warning and limit at once, warned first; a reinstatement sticks', async () => {
    const disputeRule = {
      kpi: 'disputeRate',
      windowDays: 30,
      warning: 20,
      limit: 40,
      minOrders: 2,
      action: 'suspend',
    };
    const current = await api.call('GET', rules, { token: admin });
    const saved = await api.call('PUT', rules, {
      token: admin,
      body: { rules: [acceptanceRule, disputeRule] },
      headers: { 'if-match': current.headers.get('etag') ?? '' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const sam = await onboardedSeller(api);
    const samListing = (
      await publishListing(api, sam.token, { price: { amount: price, currency: 'EUR' }, stock: 5 })
    ).id;
    /** An order of Sam's accepted, shipped and then disputed by the buyer, or not. */
    const shippedOrder = async (disputed: boolean) => {
      const orderId = await placeOrder(api, buyer, samListing);
      expect((await act(api, sam.token, orderId, 'accept')).status).toBe(200);
      expect((await act(api, sam.token, orderId, 'ship', { trackingNumber: 'SQ-2' })).status).toBe(200);
      if (disputed) {
        expect((await act(api, buyer, orderId, 'open-dispute', { reason: 'Never arrived' })).status).toBe(
          200,
        );
      }
      return orderId;
    };
    const undisputed = await shippedOrder(false);
    // 1 dispute of 2 orders: 50 %, past the warning level and the limit in one change.
    await shippedOrder(true);
    const suspension = await eventually(async () => {
      const answer = await api.call('GET', `/admin/users/${sam.sellerId}/suspension`, { token: admin });
      expect(answer.status).toBe(200);
      return answer.body;
    }, 20_000);
    expect(suspension).toMatchObject({ by: 'quality-rules', reason: expect.stringContaining('disputeRate') });
    const feed = await eventually(async () => {
      const events = await api.call(
        'GET',
        '/sellers/me/events?types=seller.quality_warning,seller.quality_limit_reached',
        {
          token: sam.token,
        },
      );
      expect(events.body.events).toHaveLength(2);
      return events.body.events;
    }, 20_000);
    expect(feed.map((event: { type: string }) => event.type)).toEqual([
      'seller.quality_warning',
      'seller.quality_limit_reached',
    ]);
    expect(feed[1].data).toMatchObject({ kpi: 'disputeRate', value: 50, threshold: 40, action: 'suspend' });
    await eventually(async () => {
      const subjects = (await mailTo(emailOf(sam.sellerId))).map((mail) => mail.subject);
      expect(subjects).toEqual(
        expect.arrayContaining([
          'Quality warning: your dispute rate is 50 %',
          'Quality limit reached: your dispute rate is 50 %',
        ]),
      );
    }, 30_000);
    const samDashboard = await dashboard(admin, `/admin/sellers/${sam.sellerId}/dashboard`);
    expect(samDashboard).toMatchObject({ suspended: true, quality: { levels: { disputeRate: 'limit' } } });

    // Reinstated by an admin; the other order disputed too keeps the rate past the limit (2 of 2): no
    // new suspension. (A new order would first take the rate under the limit, and its dispute would
    // then cross it again: that suspends again, as docs/design/seller-quality.md says.)
    const reinstated = await api.call('DELETE', `/admin/users/${sam.sellerId}/suspension`, {
      token: admin,
      body: { reason: 'Carrier lost parcels, checked' },
    });
    expect(reinstated.status, JSON.stringify(reinstated.body)).toBe(200);
    expect((await act(api, buyer, undisputed, 'open-dispute', { reason: 'Never arrived' })).status).toBe(200);
    const after = await eventually(async () => {
      const body = await dashboard(admin, `/admin/sellers/${sam.sellerId}/dashboard`);
      expect(body.quality.last30Days.disputeRate).toEqual({ samples: 2, value: 100 });
      return body;
    }, 20_000);
    expect(after).toMatchObject({ suspended: false, quality: { levels: { disputeRate: 'limit' } } });
    expect(after.quality.notices).toHaveLength(2);
    const suspendedNow = await api.call('GET', `/admin/users/${sam.sellerId}/suspension`, { token: admin });
    expect(suspendedNow.status).toBe(404);
  }, 180_000);
});
