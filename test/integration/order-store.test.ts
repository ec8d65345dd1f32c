import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { unfinishedOrders } from '#infra/local/table-scans.ts';
import { DomainError } from '#shared/domain/errors.ts';
import {
  type Order,
  recordCancellation,
  recordCompletion,
  recordPaymentAuthorised,
  workflowActor,
} from '#shared/domain/order.ts';
import { IdempotencyKeyTaken, type IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import type { ListingStore } from '#shared/store/listing-store.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { newId, storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

let listings: ListingStore;
let orders: OrderStore;
let idempotencyRecords: IdempotencyRecordStore;
let scanUnfinished: () => ReturnType<typeof unfinishedOrders>;
let publishedListing: Fixtures['publishedListing'];
let prepareCheckout: Fixtures['prepareCheckout'];
let placeCheckout: Fixtures['placeCheckout'];

type Fixtures = ReturnType<typeof storeCheckouts>;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  scanUnfinished = () => unfinishedOrders(client, tableName);
  ({ listings, orders, idempotencyRecords, publishedListing, prepareCheckout, placeCheckout } =
    storeCheckouts(client, tableName));
});

/** One placed order of a new buyer and seller. */
async function placedOrder(quantity = 1, stock = 3): Promise<Order> {
  const listing = await publishedListing({ stock });
  const {
    orders: [order],
  } = await placeCheckout(newId('buyer'), [{ listing, quantity }]);
  if (!order) throw new Error('the checkout planned no order');
  return order;
}

/** What the promise rejected with, as kind, code and details, or the error's name. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) =>
      error instanceof DomainError
        ? { kind: error.kind, code: error.code, details: error.details }
        : (error as Error).name,
  );

const stockOf = async (listingId: string) => (await listings.get(listingId))?.stock;

const allIds = async (userId: string) =>
  (await orders.listForParticipant(userId, 100)).items.map((s) => s.orderId);

describe('OrderStore.placeCheckout', () => {
  it('writes the checkout, its orders, their first events and participant entries', async () => {
    const buyerId = newId('buyer');
    const lamp = await publishedListing({ stock: 5 });
    const rug = await publishedListing({ price: { amount: 12_000, currency: 'EUR' } });
    const { checkout, plan, idempotency } = await placeCheckout(buyerId, [
      { listing: lamp, quantity: 2 },
      { listing: rug, quantity: 1 },
    ]);

    expect(plan.orders).toHaveLength(2);
    expect(await orders.getCheckout(checkout.id)).toEqual({ ...checkout, holdsUnpaidSlot: true });
    for (const order of plan.orders) {
      expect(await orders.get(order.id)).toEqual(order);
      expect((await orders.events(order.id, 10)).items).toEqual([
        { seq: 1, at: order.createdAt, by: { party: 'buyer', userId: buyerId }, type: 'placed' },
      ]);
      const sellerPage = await orders.listForParticipant(order.sellerId, 10);
      expect(sellerPage.items).toEqual([
        expect.objectContaining({ orderId: order.id, parties: ['seller'], status: 'awaiting-payment' }),
      ]);
    }
    expect((await orders.listForParticipant(buyerId, 10)).items).toHaveLength(2);
    expect(await idempotencyRecords.get(buyerId, idempotency.key, new Date())).toMatchObject({
      fingerprint: idempotency.fingerprint,
      resourceId: checkout.id,
    });
  });

  it('reserves the stock and bumps the listing version', async () => {
    const lamp = await publishedListing({ stock: 5 });
    await placeCheckout(newId('buyer'), [{ listing: lamp, quantity: 2 }]);
    expect(await listings.get(lamp.id)).toMatchObject({ stock: 3, version: lamp.version + 1 });
  });

  it('refuses a line short of stock, naming it, and writes nothing', async () => {
    const buyerId = newId('buyer');
    const lamp = await publishedListing({ stock: 3 });
    const rug = await publishedListing({ stock: 3 });
    const late = await prepareCheckout(buyerId, [
      { listing: lamp, quantity: 1 },
      { listing: rug, quantity: 2 },
    ]);
    // Another buyer takes two rugs between the late buyer's read and write.
    await placeCheckout(newId('buyer'), [{ listing: rug, quantity: 2 }]);

    expect(await rejection(orders.placeCheckout(late))).toEqual({
      kind: 'conflict',
      code: 'lines_unavailable',
      details: [{ path: ['lines', 1], message: 'only 1 left, 2 wanted' }],
    });
    expect(await stockOf(lamp.id)).toBe(3);
    expect(await stockOf(rug.id)).toBe(1);
    expect(await orders.getCheckout(late.checkout.id)).toBeUndefined();
    expect(await orders.get(late.checkout.orderIds[0] ?? '')).toBeUndefined();
    expect(await idempotencyRecords.get(buyerId, late.idempotency.key, new Date())).toBeUndefined();
    expect(await allIds(buyerId)).toEqual([]);
  });

  it('refuses a line whose price changed since it was read', async () => {
    const lamp = await publishedListing();
    const stale = await prepareCheckout(newId('buyer'), [{ listing: lamp, quantity: 1 }]);
    const current = await listings.get(lamp.id);
    await listings.update(lamp.id, lamp.sellerId, current?.version ?? 0, {
      price: { amount: 5999, currency: 'EUR' },
    });

    expect(await rejection(orders.placeCheckout(stale))).toEqual({
      kind: 'conflict',
      code: 'lines_unavailable',
      details: [{ path: ['lines', 0], message: 'the price is now 5999 EUR; check out again' }],
    });
    expect(await stockOf(lamp.id)).toBe(3);
  });

  it('refuses a line whose listing was unpublished since it was read', async () => {
    const lamp = await publishedListing();
    const stale = await prepareCheckout(newId('buyer'), [{ listing: lamp, quantity: 1 }]);
    await listings.transition(lamp.id, lamp.sellerId, 'unpublish');
    expect(await rejection(orders.placeCheckout(stale))).toMatchObject({
      kind: 'conflict',
      code: 'lines_unavailable',
      details: [{ path: ['lines', 0] }],
    });
  });

  it('refuses a second checkout with the same idempotency key, reserving nothing', async () => {
    const buyerId = newId('buyer');
    const lamp = await publishedListing({ stock: 5 });
    const first = await placeCheckout(buyerId, [{ listing: lamp, quantity: 1 }]);
    const again = await prepareCheckout(buyerId, [{ listing: lamp, quantity: 1 }], {
      key: first.idempotency.key,
    });

    const error = await orders.placeCheckout(again).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IdempotencyKeyTaken);
    expect(await stockOf(lamp.id)).toBe(4);
    expect(await orders.getCheckout(again.checkout.id)).toBeUndefined();
    expect(await allIds(buyerId)).toEqual(first.checkout.orderIds);
    // The same key is free for another buyer.
    await placeCheckout(newId('buyer'), [{ listing: lamp, quantity: 1 }], { key: first.idempotency.key });
    expect(await stockOf(lamp.id)).toBe(3);
  });
});

describe("a buyer's unpaid checkouts", () => {
  it('take a place each, up to the limit, and nothing is written past it', async () => {
    const buyerId = newId('buyer');
    const listing = await publishedListing({ stock: 10 });
    const limited = async () => {
      const prepared = await prepareCheckout(buyerId, [{ listing, quantity: 1 }]);
      return orders.placeCheckout({ ...prepared, unpaidLimit: 2 });
    };
    await limited();
    await limited();

    expect(await rejection(limited())).toEqual({
      kind: 'conflict',
      code: 'too_many_unpaid_checkouts',
      details: undefined,
    });
    expect(await stockOf(listing.id)).toBe(8);
    expect(await allIds(buyerId)).toHaveLength(2);
  });

  it('give their place back once, however often it is given back', async () => {
    const buyerId = newId('buyer');
    const listing = await publishedListing({ stock: 10 });
    const place = async () => {
      const prepared = await prepareCheckout(buyerId, [{ listing, quantity: 1 }]);
      await orders.placeCheckout({ ...prepared, unpaidLimit: 1 });
      return prepared.checkout;
    };
    const first = await place();
    expect(await rejection(place())).toMatchObject({ code: 'too_many_unpaid_checkouts' });

    await Promise.all([1, 2, 3].map(() => orders.releaseUnpaidCheckout(first)));
    expect((await orders.getCheckout(first.id))?.holdsUnpaidSlot).toBeUndefined();
    await place();
    expect(await rejection(place())).toMatchObject({ code: 'too_many_unpaid_checkouts' });
  });
});

describe('OrderStore.listForParticipant', () => {
  const buyerId = newId('buyer');
  let byAge: string[][] = [];
  let sellerA = '';

  beforeAll(async () => {
    const a = await publishedListing();
    const b = await publishedListing();
    sellerA = a.sellerId;
    const at = (minute: number) => ({ now: new Date(`2030-01-01T00:0${minute}:00.000Z`) });
    const oldest = await placeCheckout(buyerId, [{ listing: a, quantity: 1 }], at(1));
    const both = await placeCheckout(
      buyerId,
      [
        { listing: a, quantity: 1 },
        { listing: b, quantity: 1 },
      ],
      at(2),
    );
    const newest = await placeCheckout(buyerId, [{ listing: b, quantity: 1 }], at(3));
    // Orders of one checkout share a timestamp; the list orders them by id, descending.
    byAge = [newest, both, oldest].map(({ checkout }) => [...checkout.orderIds].sort().reverse());
  });

  it('lists the buyer’s orders newest first, and each seller’s own', async () => {
    expect(await allIds(buyerId)).toEqual(byAge.flat());
    const sellerPage = await orders.listForParticipant(sellerA, 10);
    expect(sellerPage.items.map((summary) => summary.createdAt)).toEqual([
      '2030-01-01T00:02:00.000Z',
      '2030-01-01T00:01:00.000Z',
    ]);
    expect(sellerPage.items.every((summary) => summary.parties[0] === 'seller')).toBe(true);
  });

  it('pages with a cursor, and gives none on an exactly full last page', async () => {
    const first = await orders.listForParticipant(buyerId, 2);
    expect(first.items.map((summary) => summary.orderId)).toEqual(byAge.flat().slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await orders.listForParticipant(buyerId, 2, first.nextCursor);
    expect(second.items.map((summary) => summary.orderId)).toEqual(byAge.flat().slice(2, 4));
    expect(second.nextCursor).toBeUndefined();

    const three = await orders.listForParticipant(buyerId, 3);
    expect(three.nextCursor).toBeDefined();
    const rest = await orders.listForParticipant(buyerId, 3, three.nextCursor);
    expect(rest.items.map((summary) => summary.orderId)).toEqual(byAge.flat().slice(3));
    expect(rest.nextCursor).toBeUndefined();
    expect((await orders.listForParticipant(buyerId, 4)).nextCursor).toBeUndefined();
  });
});

describe('OrderStore.update', () => {
  it('applies a change at version + 1 with the next event, and updates the participant entries', async () => {
    const order = await placedOrder();
    const now = new Date('2030-06-01T00:00:00.000Z');
    const updated = await orders.update(
      order.id,
      (current) => recordPaymentAuthorised(current, '2030-06-07T00:00:00.000Z', now),
      {
        now,
      },
    );

    expect(updated).toMatchObject({
      status: 'in-progress',
      paymentStatus: 'authorised',
      version: 2,
      eventCount: 2,
      updatedAt: now.toISOString(),
      createdAt: order.createdAt,
    });
    expect(await orders.get(order.id)).toEqual(updated);
    const events = (await orders.events(order.id, 10)).items;
    expect(events.map((event) => [event.seq, event.type])).toEqual([
      [1, 'placed'],
      [2, 'payment-authorised'],
    ]);
    const [summary] = (await orders.listForParticipant(order.buyerId, 10)).items;
    expect(summary).toMatchObject({ status: 'in-progress', paymentStatus: 'authorised', step: 'accept' });
  });

  it('bumps the version but adds no event for a change without one', async () => {
    const order = await placedOrder();
    const updated = await orders.update(order.id, (current) => ({
      order: { ...current, taskToken: 'token' },
    }));
    expect(updated).toMatchObject({ version: 2, eventCount: 1, taskToken: 'token' });
    expect((await orders.events(order.id, 10)).items).toHaveLength(1);
  });

  it('writes nothing when the change decides nothing', async () => {
    const order = await placedOrder();
    expect(await orders.update(order.id, () => undefined)).toBeUndefined();
    expect(await orders.get(order.id)).toEqual(order);
  });

  it('refuses an unknown order', async () => {
    expect(await rejection(orders.update(randomUUID(), () => undefined))).toMatchObject({
      kind: 'not-found',
      code: 'order_not_found',
    });
  });

  it('lands five concurrent updates, each with its own event, by retrying', async () => {
    const order = await placedOrder();
    const step = (n: number) => `concurrent-${n}`;
    let decisions = 0;
    await Promise.all(
      Array.from({ length: 5 }, (_, n) =>
        orders.update(order.id, (current) => {
          decisions++;
          return {
            order: current,
            event: { at: new Date().toISOString(), by: workflowActor, type: 'timed-out', step: step(n) },
          };
        }),
      ),
    );
    // The five read at once, so some lost the race and decided again on a fresh read.
    expect(decisions).toBeGreaterThan(5);
    expect(await orders.get(order.id)).toMatchObject({ version: 6, eventCount: 6 });
    const events = (await orders.events(order.id, 10)).items;
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(
      events
        .slice(1)
        .map((event) => event.step)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4].map(step));
  });

  it('puts the stock back when cancelling with releaseStock', async () => {
    const order = await placedOrder(2, 5);
    const listingId = order.lines[0]?.listingId ?? '';
    const reserved = await listings.get(listingId);
    expect(reserved?.stock).toBe(3);

    const cancelled = await orders.update(
      order.id,
      (current) => recordCancellation(current, 'test', 'cancelled', new Date()),
      {
        releaseStock: true,
      },
    );
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      paymentStatus: 'cancelled',
      cancelReason: 'test',
    });
    expect(await listings.get(listingId)).toMatchObject({ stock: 5, version: (reserved?.version ?? 0) + 1 });
  });

  it('leaves the stock alone without releaseStock', async () => {
    const order = await placedOrder(2, 5);
    await orders.update(order.id, (current) => recordCancellation(current, 'test', 'cancelled', new Date()));
    expect(await stockOf(order.lines[0]?.listingId ?? '')).toBe(3);
  });
});

describe('OrderStore.events', () => {
  it('pages through the history in order', async () => {
    const order = await placedOrder();
    for (let n = 0; n < 4; n++) {
      await orders.update(order.id, (current) => ({
        order: current,
        event: { at: new Date().toISOString(), by: workflowActor, type: 'timed-out', step: `s${n}` },
      }));
    }
    const first = await orders.events(order.id, 3);
    expect(first.items.map((event) => event.seq)).toEqual([1, 2, 3]);
    const second = await orders.events(order.id, 3, first.nextCursor);
    expect(second.items.map((event) => event.seq)).toEqual([4, 5]);
    expect(second.nextCursor).toBeUndefined();
    expect((await orders.events(order.id, 5)).nextCursor).toBeUndefined();
    expect(second.items[0]).not.toHaveProperty('PK');
  });
});

describe('unfinishedOrders, the local stack’s Scan', () => {
  it('yields only orders neither completed nor cancelled', async () => {
    const [open, completed, cancelled] = await Promise.all([placedOrder(), placedOrder(), placedOrder()]);
    await orders.update(completed?.id ?? '', (current) => recordCompletion(current, new Date()));
    await orders.update(cancelled?.id ?? '', (current) =>
      recordCancellation(current, 'test', 'cancelled', new Date()),
    );
    const found: Order[] = [];
    for await (const page of scanUnfinished()) found.push(...page);
    const ids = found.map((order) => order.id);
    expect(ids).toContain(open?.id);
    expect(ids).not.toContain(completed?.id);
    expect(ids).not.toContain(cancelled?.id);
    expect(
      found.every((order) => order.status === 'awaiting-payment' || order.status === 'in-progress'),
    ).toBe(true);
  });
});
