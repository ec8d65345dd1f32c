import { describe, expect, it } from 'vitest';
import { sellerKpiChangeOf } from '#shared/app/quality/seller-kpi-changes.ts';
import type { Order } from '#shared/domain/order.ts';
import type { Review } from '#shared/domain/review.ts';
import { acceptanceBucketOf } from '#shared/domain/seller-kpis.ts';
import { orderAt } from '../support/order-fixture.ts';

const now = new Date('2030-01-02T10:00:00.000Z');
const hours = (count: number) => count * 3_600_000;
const at = (offset: number) => new Date(now.getTime() + offset).toISOString();

/** The fixture's order (default-purchase v2), waiting at `stepIndex` since `now`. */
const waitingAt = (stepIndex: number, timeoutHours: number, overrides: Partial<Order> = {}) =>
  orderAt(now, {
    stepIndex,
    taskToken: `token-${stepIndex}`,
    deadline: at(hours(timeoutHours)),
    updatedAt: now.toISOString(),
    ...overrides,
  });

const decided = (order: Order, next: 'await-step' | 'cancel' | 'complete', offset: number): Order => {
  const { taskToken: _token, deadline: _deadline, ...rest } = order;
  return { ...rest, pending: { next, capture: false }, updatedAt: at(offset) };
};

const change = (before: Order | undefined, after: Order) =>
  sellerKpiChangeOf({ kind: 'order', sourceId: 'record-1', ...(before ? { before } : {}), after });

describe('order changes as seller KPIs', () => {
  it('counts an order received when its payment is authorised, on the day it happened', () => {
    const placed = orderAt(now, {
      status: 'awaiting-payment',
      paymentStatus: 'authorising',
      taskToken: 'pay',
    });
    const authorised = { ...placed, status: 'in-progress' as const, updatedAt: at(hours(20)) };
    const projected = change(placed, authorised);
    expect(projected).toMatchObject({
      sellerId: 'seller',
      day: { day: '2030-01-03', counters: { received: 1, acceptanceDecisions: 0 } },
      statusMoves: { 'awaiting-payment': -1, 'in-progress': 1 },
    });
  });

  it('counts an acceptance with how long the seller took, and a decline or timeout as not accepted', () => {
    const accept = waitingAt(0, 72);
    const accepted = change(accept, decided(accept, 'await-step', hours(2) + 1000));
    expect(accepted?.day?.counters).toMatchObject({ acceptanceDecisions: 1, accepted: 1 });
    const bucket = acceptanceBucketOf(2 * 3600 + 1);
    expect(accepted?.day?.counters.acceptanceTimes[bucket]).toBe(1);
    const declined = change(accept, decided(accept, 'cancel', hours(1)));
    expect(declined?.day?.counters).toMatchObject({ acceptanceDecisions: 1, accepted: 0 });
    expect(declined?.day?.counters.acceptanceTimes.every((count) => count === 0)).toBe(true);
  });

  it('counts a shipment late when shipped after the deadline or cancelled by the step timing out', () => {
    const ship = waitingAt(1, 168);
    expect(change(ship, decided(ship, 'await-step', hours(10)))?.day?.counters).toMatchObject({
      shipmentsDue: 1,
      lateShipments: 0,
    });
    expect(change(ship, decided(ship, 'await-step', hours(169)))?.day?.counters).toMatchObject({
      shipmentsDue: 1,
      lateShipments: 1,
    });
    expect(change(ship, decided(ship, 'cancel', hours(168)))?.day?.counters).toMatchObject({
      shipmentsDue: 1,
      lateShipments: 1,
    });
    // Cancelled before the deadline (a refused payment): not a shipment due.
    expect(change(ship, decided(ship, 'cancel', hours(3)))?.day).toBeUndefined();
  });

  it('counts closing, cancellation, a dispute and a chargeback', () => {
    const receive = waitingAt(2, 336);
    const cancelled = { ...receive, status: 'cancelled' as const, updatedAt: at(hours(1)) };
    expect(change(receive, cancelled)?.day?.counters).toMatchObject({ closed: 1, cancelled: 1 });
    const completed = { ...receive, status: 'completed' as const, updatedAt: at(hours(1)) };
    expect(change(receive, completed)?.day?.counters).toMatchObject({ closed: 1, cancelled: 0 });
    const chargedBack = {
      ...receive,
      chargeback: { disputeId: 'dp_1', status: 'open' as const, openedAt: at(hours(1)) },
    };
    expect(change(receive, chargedBack)?.day?.counters).toMatchObject({ chargebacks: 1, disputes: 0 });
    expect(change(chargedBack, { ...chargedBack, version: 9 })).toBeUndefined();
  });

  it('keeps the orders waiting for the seller, with their deadline', () => {
    const accept = waitingAt(0, 72);
    const pending = decided(accept, 'await-step', hours(1));
    const stops = change(accept, pending);
    expect(stops?.stopsWaiting).toEqual({
      sellerId: 'seller',
      orderId: 'order-1',
      step: 'accept',
      deadline: at(hours(72)),
      currency: 'EUR',
      total: 10_000,
    });
    const ship = { ...pending, stepIndex: 1, taskToken: 'token-1', deadline: at(hours(169)) };
    const { pending: _pending, ...shipWaiting } = ship;
    expect(change(pending, shipWaiting)?.startsWaiting).toMatchObject({
      step: 'ship',
      deadline: at(hours(169)),
    });
    // The buyer's step is not the seller's to act on.
    expect(change(undefined, waitingAt(2, 336))?.startsWaiting).toBeUndefined();
  });
});

describe('review changes as seller KPIs', () => {
  const review = (overrides: Partial<Review>): Review => ({
    id: 'order-1.buyer.seller',
    orderId: 'order-1',
    listingIds: ['l-1'],
    author: { party: 'buyer', userId: 'buyer' },
    subject: { party: 'seller', userId: 'seller' },
    rating: 4,
    status: 'hidden',
    createdAt: now.toISOString(),
    ...overrides,
  });

  it('adds a published review of a seller to the day it was published, and takes it off when removed', () => {
    const hidden = review({});
    const published = review({ status: 'published', publishedAt: '2030-01-05T08:00:00.000Z' });
    expect(
      sellerKpiChangeOf({ kind: 'review', sourceId: 'r', before: hidden, after: published }),
    ).toMatchObject({
      sellerId: 'seller',
      day: { day: '2030-01-05', counters: { reviews: 1, ratingSum: 4 } },
    });
    const removed = { ...published, status: 'removed' as const };
    expect(
      sellerKpiChangeOf({ kind: 'review', sourceId: 'r', before: published, after: removed })?.day,
    ).toMatchObject({
      day: '2030-01-05',
      counters: { reviews: -1, ratingSum: -4 },
    });
    const ofBuyer = review({
      status: 'published',
      publishedAt: at(0),
      subject: { party: 'buyer', userId: 'buyer' },
    });
    expect(
      sellerKpiChangeOf({ kind: 'review', sourceId: 'r', before: hidden, after: ofBuyer }),
    ).toBeUndefined();
  });
});
