import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { sumOf } from '#shared/domain/money.ts';
import { expectProblem, TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import {
  act,
  checkout,
  historyOf,
  orderMatching,
  orderWithStatus,
  publishListing,
} from '../support/orders.ts';
import { eurBalanceOf } from '../support/payouts.ts';
import { onboardSeller, paymentSimulatorOf } from '../support/sellers.ts';

/**
 * Workflow seconds last 30 ms: accepting may take 7.8 s, shipping 18 s, confirming receipt 36 s; a
 * dispute lasts 78 s, of which buyer and seller have 13 s each (default-purchase v2).
 */
const msPerSecond = 0.03;
const price = 10_000;

let api: TestApi;
let ada: string;
let sara: string;
let sid: string;
let ben: string;
let bea: string;

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant a route lacks fails here.
  api = await TestApi.start({ isolate: true, workflowMsPerSecond: msPerSecond });
  [ada, sara, sid, ben, bea] = await Promise.all([
    api.token('dp-ada', 'admin'),
    api.token('dp-sara', 'seller'),
    api.token('dp-sid', 'seller'),
    api.token('dp-ben', 'buyer'),
    api.token('dp-bea', 'buyer'),
  ]);
  await onboardSeller(api, sara);
}, 60_000);
afterAll(() => api?.stop());

const simulator = () => paymentSimulatorOf(api);

/** Sara's lamp at `price`, bought by Ben and accepted (so captured): its order and payment. */
async function capturedOrder() {
  const lamp = await publishListing(api, sara, { stock: 5, price: { amount: price, currency: 'EUR' } });
  const placed = await checkout(api, ben, [{ listingId: lamp.id, quantity: 1 }]);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId: string = placed.body.orders[0].id;
  expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
  await orderMatching(api, sara, orderId, { paymentStatus: 'captured' });
  return { orderId, paymentId: placed.body.payment.id as string };
}

/** A captured order shipped, then disputed by Ben; returned once the workflow waits at the dispute. */
async function disputedOrder() {
  const captured = await capturedOrder();
  const { orderId } = captured;
  expect((await act(api, sara, orderId, 'ship', { trackingNumber: 'TRACK-9' })).status).toBe(200);
  expect((await act(api, ben, orderId, 'open-dispute', { reason: 'Arrived broken' })).status).toBe(200);
  const dispute = await eventually(async () => {
    const { status, body } = await api.call('GET', `/orders/${orderId}/dispute`, { token: ben });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.deadlines).toMatchObject({ buyer: expect.any(String), admin: expect.any(String) });
    return body;
  });
  return { ...captured, dispute };
}

const addEvidence = (token: string, orderId: string, body: unknown) =>
  api.call('POST', `/orders/${orderId}/dispute/evidence`, { token, body });

const settle = (token: string, orderId: string, body: unknown, key: string = randomUUID()) =>
  api.call('POST', `/orders/${orderId}/dispute/settlement`, {
    token,
    body,
    headers: { 'idempotency-key': key },
  });

const disputeOf = (token: string, orderId: string) =>
  api.call('GET', `/orders/${orderId}/dispute`, { token });

const queue = async (status = 'open') => {
  const page = await api.call('GET', `/admin/disputes?limit=100&status=${status}`, { token: ada });
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return page.body.items as { orderId: string; kinds: string[]; chargeback?: { status: string } }[];
};

const refundsAt = (paymentId: string) =>
  simulator()
    .events('refund.created')
    .map((event) => event.data.object as unknown as Stripe.Refund)
    .filter((made) => made.payment_intent === paymentId)
    .map((made) => made.amount);

describe('evidence', () => {
  it('is added by buyer and seller (and admins, as notes) while the order is in its dispute', async () => {
    const { orderId, dispute } = await disputedOrder();
    expect(dispute).toMatchObject({
      orderId,
      status: 'open',
      step: 'dispute',
      reason: 'Arrived broken',
      openedBy: { party: 'buyer', userId: 'dp-ben' },
      evidence: [],
    });
    // Each party's response time ends well before the step's own deadline.
    expect(Date.parse(dispute.deadlines.buyer)).toBeLessThan(Date.parse(dispute.deadlines.admin));

    const photos = { statement: 'The lamp came in pieces.', evidenceUrls: ['https://photos.example/1.jpg'] };
    const byBen = await addEvidence(ben, orderId, photos);
    expect(byBen.status, JSON.stringify(byBen.body)).toBe(201);
    expect(byBen.body).toMatchObject({ party: 'buyer', userId: 'dp-ben', ...photos });
    const bySara = await addEvidence(sara, orderId, { statement: 'It left here packed and whole.' });
    expect(bySara.status).toBe(201);
    expect(bySara.body).toMatchObject({ party: 'seller', evidenceUrls: [] });
    const byAda = await addEvidence(ada, orderId, { statement: 'Asked the carrier.' });
    expect(byAda.body).toMatchObject({ party: 'admin' });

    const shown = await disputeOf(sara, orderId);
    expect(shown.status).toBe(200);
    expect(shown.body.evidence).toEqual([byBen.body, bySara.body, byAda.body]);
    expect(shown.body.evidenceCount).toEqual({ buyer: 1, seller: 1, admin: 1 });
  }, 60_000);

  it('is refused to buyers and sellers not in the order, as if it did not exist', async () => {
    const { orderId } = await disputedOrder();
    for (const stranger of [bea, sid]) {
      const refused = await addEvidence(stranger, orderId, { statement: 'Me too.' });
      expectProblem(refused, 404);
      expect(refused.body.code).toBe('order_not_found');
      expectProblem(await disputeOf(stranger, orderId), 404);
    }
    expect((await disputeOf(ben, orderId)).body.evidence).toEqual([]);
  }, 60_000);

  it('refuses bad input with a problem naming the field, and writes nothing', async () => {
    const { orderId } = await disputedOrder();
    const bad = [
      {},
      { statement: '' },
      { statement: '   ' },
      { statement: 'x'.repeat(2001) },
      { statement: 'ok', evidenceUrls: ['http://photos.example/1.jpg'] },
      { statement: 'ok', evidenceUrls: ['file:///etc/passwd'] },
      { statement: 'ok', evidenceUrls: Array.from({ length: 11 }, (_, i) => `https://x.example/${i}`) },
      { statement: 'ok', extra: true },
    ];
    for (const body of bad) {
      const refused = await addEvidence(ben, orderId, body);
      expectProblem(refused, 400);
      expect(refused.body.errors?.[0]?.field, JSON.stringify(body)).toMatch(/^body/);
    }
    const notJson = await api.call('POST', `/orders/${orderId}/dispute/evidence`, {
      token: ben,
      body: 'statement=hi',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(notJson, 400);
    expectProblem(await addEvidence(ben, 'not-an-order', { statement: 'ok' }), 400);
    expectProblem(await disputeOf(ben, 'not-an-order'), 400);
    expect((await disputeOf(ben, orderId)).body).toMatchObject({ evidence: [], evidenceCount: {} });
  }, 60_000);

  it('is refused outside a dispute step, and after the party’s response time (409)', async () => {
    const { orderId: accepted } = await capturedOrder();
    const early = await addEvidence(ben, accepted, { statement: 'Not yet shipped.' });
    expectProblem(early, 409);
    expect(early.body.code).toBe('dispute_not_open');
    expect((await disputeOf(ben, accepted)).body.code).toBe('dispute_not_found');

    const { orderId, dispute } = await disputedOrder();
    const wait = Date.parse(dispute.deadlines.buyer) - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait) + 200));
    const late = await addEvidence(ben, orderId, { statement: 'One more photo.' });
    expectProblem(late, 409);
    expect(late.body.code).toBe('response_deadline_passed');
    // The admin decides until the step ends, and may still note something.
    expect((await addEvidence(ada, orderId, { statement: 'Reviewing.' })).status).toBe(201);
    expect((await disputeOf(ben, orderId)).body.evidenceCount).toEqual({ admin: 1 });
  }, 60_000);
});

describe('a settlement', () => {
  it('refunds 30% to the buyer and releases 70% to the seller, once, with the ledger balanced', async () => {
    const { orderId, paymentId } = await disputedOrder();
    const before = await eurBalanceOf(api, sara);
    const body = { refund: { amount: 3000, currency: 'EUR' }, note: 'Both partly right' };

    expectProblem(await settle(sara, orderId, body), 403);
    expectProblem(await settle(ben, orderId, body), 403);
    const refusals: [unknown, number, string | undefined][] = [
      [{ ...body, refund: { amount: price + 1, currency: 'EUR' } }, 422, 'refund_exceeds_left'],
      [{ ...body, refund: { amount: 3000, currency: 'USD' } }, 422, 'currency_mismatch'],
      [{ ...body, refund: { amount: -1, currency: 'EUR' } }, 400, undefined],
      [{ ...body, refund: { amount: 10.5, currency: 'EUR' } }, 400, undefined],
      [{ ...body, note: '' }, 400, undefined],
      [{ ...body, extra: 1 }, 400, undefined],
    ];
    for (const [refused, status, code] of refusals) {
      const answer = await settle(ada, orderId, refused);
      expectProblem(answer, status);
      if (code) expect(answer.body.code).toBe(code);
    }
    const noKey = await api.call('POST', `/orders/${orderId}/dispute/settlement`, { token: ada, body });
    expectProblem(noKey, 400);
    expect(refundsAt(paymentId)).toEqual([]);
    expect((await disputeOf(ada, orderId)).body).not.toHaveProperty('settlement');

    const key = randomUUID();
    const settled = await settle(ada, orderId, body, key);
    expect(settled.status, JSON.stringify(settled.body)).toBe(201);
    expect(settled.body).toMatchObject({
      orderId,
      refund: { amount: 3000, currency: 'EUR' },
      action: 'release-to-seller',
      refundId: expect.any(String),
      by: 'dp-ada',
    });
    const retried = await settle(ada, orderId, body, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(settled.body);
    expect(refundsAt(paymentId)).toEqual([3000]);

    const completed = await orderWithStatus(api, ben, orderId, 'completed');
    expect(completed.refunds).toMatchObject([{ refundId: settled.body.refundId, amount: 3000 }]);
    expect(await historyOf(api, ben, orderId)).toEqual([
      'placed',
      'payment-authorised',
      'accept',
      'payment-captured',
      'ship',
      'open-dispute',
      'refunded',
      'release-to-seller',
      'completed',
    ]);
    // 10% commission: of the 3000 refunded, 300 was the platform's and 2700 the seller's, whose
    // statement shows the order's 9000 pending at capture, 2700 of it given back, 6300 made available.
    const statement = await api.call('GET', '/sellers/me/statement?limit=100', { token: sara });
    const ofThisOrder = (statement.body.items as { scope: string; account: string; amount: number }[]).filter(
      (entry) => entry.scope === `order:${orderId}`,
    );
    const onSaras = (account: string) =>
      sumOf(ofThisOrder.filter((entry) => entry.account === account).map((entry) => entry.amount));
    expect(onSaras('available')).toBe(9000 - 2700);
    expect(onSaras('pending')).toBe(0);
    expect((await eurBalanceOf(api, sara)).available).toBeGreaterThanOrEqual(before.available + 6300);

    const { ledgerStore } = await import('#shared/app/composition/stores/ledger-store.ts');
    const transactions = await ledgerStore.transactions(orderScope(orderId));
    expect(transactions.map((transaction) => transaction.kind).sort()).toEqual([
      'capture',
      'refund',
      'release',
    ]);
    for (const transaction of transactions) {
      expect(sumOf(transaction.entries.map((entry) => entry.amount))).toBe(0);
    }
    const entriesOf = (account: string) =>
      transactions.flatMap((transaction) =>
        transaction.entries.filter((entry) => entry.account === account).map((entry) => entry.amount),
      );
    expect(sumOf(entriesOf('platform:cash'))).toBe(price - 3000);
    expect(sumOf(entriesOf('platform:fees'))).toBe(-1000);
    expect(sumOf(entriesOf('platform:refunds'))).toBe(300);
    expect(sumOf(entriesOf('user:dp-sara:available'))).toBe(-6300);

    const shown = await disputeOf(ben, orderId);
    expect(shown.body).toMatchObject({
      status: 'closed',
      settlement: { settlementId: settled.body.settlementId },
    });
    expect((await queue()).map((entry) => entry.orderId)).not.toContain(orderId);
    expect((await queue('closed')).map((entry) => entry.orderId)).toContain(orderId);
    const audit = await api.call('GET', `/admin/audit?target=order:${orderId}`, { token: ada });
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'dispute.settled',
        actor: 'dp-ada',
        target: { kind: 'order', id: orderId },
      }),
    ]);
    const again = await settle(ada, orderId, { ...body, refund: { amount: 0, currency: 'EUR' } });
    expectProblem(again, 409);
    expect(again.body.code).toBe('dispute_not_open');
  }, 90_000);

  it('of everything left refunds the buyer in full by the step’s refund action', async () => {
    const { orderId, paymentId } = await disputedOrder();
    const settled = await settle(ada, orderId, {
      refund: { amount: price, currency: 'EUR' },
      note: 'Broken',
    });
    expect(settled.status, JSON.stringify(settled.body)).toBe(201);
    expect(settled.body).toMatchObject({ action: 'refund-buyer' });
    expect(settled.body).not.toHaveProperty('refundId');
    await orderMatching(api, ben, orderId, { status: 'cancelled', paymentStatus: 'refunded' });
    expect(refundsAt(paymentId)).toEqual([price]);
  }, 90_000);
});

describe('the dispute queue', () => {
  it('lists orders in their dispute and orders with a chargeback, with its status, to admins only', async () => {
    const { orderId: disputed } = await disputedOrder();
    const { orderId: chargedBack, paymentId } = await capturedOrder();
    simulator().openDispute(paymentId);

    await eventually(async () => {
      const open = await queue();
      expect(open.find((entry) => entry.orderId === disputed)).toMatchObject({ kinds: ['dispute'] });
      expect(open.find((entry) => entry.orderId === chargedBack)).toMatchObject({
        kinds: ['chargeback'],
        chargeback: { status: 'open' },
      });
    });
    const page = await api.call('GET', '/admin/disputes?limit=1', { token: ada });
    expect(page.body.items).toHaveLength(1);
    const next = await api.call('GET', `/admin/disputes?limit=100&cursor=${page.body.nextCursor}`, {
      token: ada,
    });
    expect(next.status).toBe(200);
    expect(next.body.items.map((entry: { orderId: string }) => entry.orderId)).not.toContain(
      page.body.items[0].orderId,
    );

    expectProblem(await api.call('GET', '/admin/disputes', { token: sara }), 403);
    expectProblem(await api.call('GET', '/admin/disputes?status=pending', { token: ada }), 400);
    expectProblem(await api.call('GET', '/admin/disputes?cursor=bm90LWEtY3Vyc29y', { token: ada }), 400);
  }, 60_000);
});
