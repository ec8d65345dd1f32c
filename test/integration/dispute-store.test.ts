import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IdempotentRequest } from '#shared/app/idempotency/idempotent-handler.ts';
import { settleDispute } from '#shared/app/orders/dispute-settlement.ts';
import { addEvidence } from '#shared/app/orders/disputes.ts';
import type { Caller } from '#shared/domain/caller.ts';
import { maxEvidencePerParty } from '#shared/domain/dispute-evidence.ts';
import {
  chooseAction,
  type Order,
  recordAction,
  recordChargeback,
  recordPaymentAuthorised,
} from '#shared/domain/order.ts';
import { AdminAuditStore } from '#shared/store/admin-audit-store.ts';
import { DisputeStore } from '#shared/store/dispute-store.ts';
import { IdempotencyKeyTaken, type IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable, functionsUseTable } from '../support/table.ts';

let orders: OrderStore;
let disputes: DisputeStore;
let audit: AdminAuditStore;
let idempotencyRecords: IdempotencyRecordStore;
let checkouts: ReturnType<typeof storeCheckouts>;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  functionsUseTable(tableName);
  checkouts = storeCheckouts(client, tableName);
  ({ orders, idempotencyRecords } = checkouts);
  disputes = new DisputeStore(client, tableName);
  audit = new AdminAuditStore(client, tableName);
});

const admin: Caller = { userId: 'ada', roles: ['admin'] };
const callerOf = (userId: string): Caller => ({ userId, roles: ['buyer', 'seller'] });

/** Where the workflow would put the order: the decision taken up, waiting for the step's party. */
const waiting = (orderId: string) =>
  orders.update(orderId, ({ pending: _pending, ...order }) => ({
    order: {
      ...order,
      taskToken: `token-${randomUUID()}`,
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
    },
  }));

/** The party of the current step takes `action`, as POST /orders/{id}/actions/{action} does. */
async function take(orderId: string, caller: Caller, action: string, data: Record<string, string> = {}) {
  await waiting(orderId);
  await orders.update(orderId, (order) =>
    recordAction(
      order,
      { party: 'x', userId: caller.userId },
      chooseAction(order, caller, action),
      data,
      new Date(),
    ),
  );
  return (await orders.get(orderId)) as Order;
}

/** A placed order the buyer has disputed after receiving it, with the workflow waiting for the admin. */
async function disputedOrder() {
  const listing = await checkouts.publishedListing();
  const buyerId = `buyer-${randomUUID()}`;
  const {
    orders: [placed],
  } = await checkouts.placeCheckout(buyerId, [{ listing, quantity: 1 }]);
  if (!placed) throw new Error('the checkout planned no order');
  await orders.update(placed.id, (order) =>
    recordPaymentAuthorised(order, new Date(Date.now() + 86_400_000).toISOString(), new Date()),
  );
  const seller = callerOf(placed.sellerId);
  const buyer = callerOf(buyerId);
  await take(placed.id, seller, 'accept');
  await take(placed.id, seller, 'ship', { trackingNumber: 'T-1' });
  await take(placed.id, buyer, 'open-dispute', { reason: 'Broken' });
  await waiting(placed.id);
  return { orderId: placed.id, buyer, seller };
}

const outcomes = (promises: Promise<unknown>[]) =>
  Promise.allSettled(promises).then((results) =>
    results.map((result) =>
      result.status === 'fulfilled'
        ? 'ok'
        : ((result.reason as { code?: string }).code ?? String(result.reason)),
    ),
  );

const openQueue = async () => (await disputes.queue('open', 100)).items.map((order) => order.id);
const closedQueue = async () => (await disputes.queue('closed', 100)).items.map((order) => order.id);

describe('dispute evidence', () => {
  it(`takes ${maxEvidencePerParty} statements per party, counted on the order, even when they race`, async () => {
    const { orderId, buyer, seller } = await disputedOrder();
    for (let count = 1; count < maxEvidencePerParty - 1; count++) {
      await addEvidence(orderId, buyer, { statement: `Statement ${count}` });
    }
    const racing = await outcomes(
      Array.from({ length: 3 }, (_, index) => addEvidence(orderId, buyer, { statement: `Racing ${index}` })),
    );
    expect(racing.sort()).toEqual(['evidence_limit_reached', 'ok', 'ok']);
    // The seller's statements are counted apart.
    await addEvidence(orderId, seller, { statement: 'My side', evidenceUrls: ['https://x.example/a'] });

    const found = await disputes.orderWithEvidence(orderId);
    expect(found?.order.dispute?.evidence).toEqual({ buyer: maxEvidencePerParty, seller: 1 });
    expect(found?.evidence).toHaveLength(maxEvidencePerParty + 1);
    expect(found?.evidence.at(-1)).toMatchObject({ party: 'seller', evidenceUrls: ['https://x.example/a'] });
    const times = found?.evidence.map((item) => item.at) ?? [];
    expect(times).toEqual([...times].sort());
  });

  it('is refused once the order leaves its dispute step, and nothing is written', async () => {
    const { orderId, buyer } = await disputedOrder();
    await take(orderId, admin, 'release-to-seller');
    await expect(addEvidence(orderId, buyer, { statement: 'Late' })).rejects.toMatchObject({
      code: 'dispute_not_open',
    });
    expect((await disputes.orderWithEvidence(orderId))?.evidence).toEqual([]);
  });
});

describe("the admins' dispute queue", () => {
  it('holds an order while it is in its dispute step, then lists it closed', async () => {
    const { orderId } = await disputedOrder();
    expect(await openQueue()).toContain(orderId);
    expect(await closedQueue()).not.toContain(orderId);

    await take(orderId, admin, 'release-to-seller');
    expect(await openQueue()).not.toContain(orderId);
    expect(await closedQueue()).toContain(orderId);
  });

  it('holds an order while its chargeback is open, then lists it closed with the outcome', async () => {
    const listing = await checkouts.publishedListing();
    const {
      orders: [placed],
    } = await checkouts.placeCheckout(`buyer-${randomUUID()}`, [{ listing, quantity: 1 }]);
    if (!placed) throw new Error('the checkout planned no order');
    expect(await openQueue()).not.toContain(placed.id);

    await orders.update(placed.id, (order) => recordChargeback(order, 'dp_1', 'open', new Date()));
    const [queued] = (await disputes.queue('open', 100)).items.filter((order) => order.id === placed.id);
    expect(queued?.chargeback).toMatchObject({
      disputeId: 'dp_1',
      status: 'open',
      openedAt: expect.any(String),
    });

    await orders.update(placed.id, (order) => recordChargeback(order, 'dp_1', 'won', new Date()));
    expect(await openQueue()).not.toContain(placed.id);
    const closed = (await disputes.queue('closed', 100)).items.find((order) => order.id === placed.id);
    expect(closed?.chargeback?.status).toBe('won');
  });
});

describe('settling a dispute', () => {
  const request = (key: string): IdempotentRequest => ({
    key,
    fingerprint: `fingerprint-${key}`,
    claim: (resourceId) =>
      idempotencyRecords.claim({
        userId: admin.userId,
        key,
        fingerprint: `fingerprint-${key}`,
        resourceId,
        now: new Date(),
      }),
  });

  it('settles once when two admins settle the same order at once: exactly one wins', async () => {
    const { orderId } = await disputedOrder();
    const order = (await orders.get(orderId)) as Order;
    const settlement = {
      refund: { amount: 0, currency: order.currency },
      note: 'Seller shipped as promised',
    };

    const results = await outcomes([
      settleDispute(order, admin, settlement, request(randomUUID())),
      settleDispute(order, admin, settlement, request(randomUUID())),
    ]);
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    expect(results.filter((result) => result !== 'ok')).toEqual([
      expect.stringMatching(/^(dispute_settled|dispute_not_open)$/),
    ]);

    const settled = (await orders.get(orderId)) as Order;
    expect(settled.dispute?.settlement).toMatchObject({ action: 'release-to-seller', refund: { amount: 0 } });
    expect(settled.pending).toMatchObject({ next: 'complete' });
    const entries = await audit.list(10, undefined, { kind: 'order', id: orderId });
    expect(entries.items.map((entry) => entry.action)).toEqual(['dispute.settled']);
  });

  it('continues its own settlement when retried with the same key, and settles nothing more', async () => {
    const { orderId } = await disputedOrder();
    const order = (await orders.get(orderId)) as Order;
    const settlement = { refund: { amount: 0, currency: order.currency }, note: 'Released' };
    const key = randomUUID();
    const first = await settleDispute(order, admin, settlement, request(key));
    // A retry that read the order before the settlement was recorded loses the key's claim, and the
    // idempotent handler answers again from a fresh read, which finds the settlement to continue.
    await expect(settleDispute(order, admin, settlement, request(key))).rejects.toBeInstanceOf(
      IdempotencyKeyTaken,
    );
    const retried = await settleDispute(
      (await orders.get(orderId)) as Order,
      admin,
      settlement,
      request(key),
    );
    expect(retried).toEqual(first);
    const entries = await audit.list(10, undefined, { kind: 'order', id: orderId });
    expect(entries.items).toHaveLength(1);
  });
});
