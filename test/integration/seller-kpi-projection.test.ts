import { beforeAll, describe, expect, it } from 'vitest';
import { projectSellerKpis } from '#shared/app/quality/project-seller-kpis.ts';
import type { KpiSourceChange } from '#shared/app/quality/seller-kpi-changes.ts';
import type { Order } from '#shared/domain/order.ts';
import type { QualityRule } from '#shared/domain/quality-rules.ts';
import { kpisOf, windowCounters } from '#shared/domain/seller-kpis.ts';
import { AdminAuditStore } from '#shared/store/admin-audit-store.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { SellerKpiStore } from '#shared/store/seller-kpi-store.ts';
import { SellerQualityStore } from '#shared/store/seller-quality-store.ts';
import { SuspensionStore } from '#shared/store/suspension-store.ts';
import { orderAt } from '../support/order-fixture.ts';
import { newId } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

let kpis: SellerKpiStore;
let quality: SellerQualityStore;
let suspensions: SuspensionStore;
let audit: AdminAuditStore;
let payouts: PayoutRunStore;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  kpis = new SellerKpiStore(client, tableName);
  quality = new SellerQualityStore(client, tableName);
  suspensions = new SuspensionStore(client, tableName);
  audit = new AdminAuditStore(client, tableName);
  payouts = new PayoutRunStore(client, tableName, new LedgerStore(client, tableName));
});

const now = new Date('2030-03-10T12:00:00.000Z');
const hours = (count: number) => count * 3_600_000;

/** An order of `sellerId` waiting at `stepIndex` (accept: 0, ship: 1) since `since`. */
function waiting(sellerId: string, orderId: string, stepIndex: number, since: Date): Order {
  const timeout = stepIndex === 0 ? 72 : 168;
  return orderAt(since, {
    id: orderId,
    sellerId,
    parties: { buyer: 'buyer', seller: sellerId },
    payees: [{ party: 'seller', userId: sellerId, amount: 9000 }],
    paymentStatus: stepIndex === 0 ? 'authorised' : 'captured',
    stepIndex,
    taskToken: `token-${stepIndex}`,
    deadline: new Date(since.getTime() + hours(timeout)).toISOString(),
  });
}

/** The order decided at `offset` after it began waiting: on to the next step, or cancelled. */
function decided(order: Order, next: 'await-step' | 'cancel', offset: number): Order {
  const { taskToken: _token, deadline: _deadline, ...rest } = order;
  const started = Date.parse(order.updatedAt);
  return { ...rest, pending: { next, capture: false }, updatedAt: new Date(started + offset).toISOString() };
}

const changeOf = (before: Order | undefined, after: Order): KpiSourceChange => ({
  kind: 'order',
  sourceId: newId('record'),
  ...(before ? { before } : {}),
  after,
});

const deps = () => ({ kpis, quality });

/** Each projection later than the last, within `now`'s day: notices are told apart by when. */
let ticks = 0;
const later = () => {
  ticks += 1;
  return new Date(now.getTime() + ticks * 1000);
};

const readings = async (sellerId: string) => {
  const days = await kpis.days(sellerId, '2030-01-01', '2030-03-10');
  return { days, last30: kpisOf(windowCounters(days, 30, now)) };
};

describe('the seller KPI projection', () => {
  it('adds each change to the day it happened on, and a batch delivered again changes nothing', async () => {
    const sam = newId('seller');
    const march8 = new Date('2030-03-08T09:00:00.000Z');
    const march9 = new Date('2030-03-09T22:00:00.000Z');
    const first = waiting(sam, newId('order'), 0, march8);
    const second = waiting(sam, newId('order'), 0, march9);
    const shipping = waiting(sam, newId('order'), 1, march8);
    const batch = [
      changeOf(first, decided(first, 'await-step', hours(1))),
      // Accepted after 3 hours, past midnight: on March 10.
      changeOf(second, decided(second, 'await-step', hours(3))),
      changeOf(shipping, decided(shipping, 'await-step', hours(200))),
      undefined,
    ];
    expect(await projectSellerKpis(batch, deps(), later())).toBeUndefined();
    const applied = await readings(sam);
    expect(applied.days.map(({ day, counters }) => [day, counters.accepted])).toEqual([
      ['2030-03-08', 1],
      ['2030-03-10', 1],
    ]);
    expect(applied.last30.acceptanceRate).toMatchObject({ samples: 2, value: 100 });
    expect(applied.last30.medianAcceptanceSeconds).toEqual({ samples: 2, value: 3600 });

    expect(await projectSellerKpis(batch, deps(), later())).toBeUndefined();
    expect(await readings(sam)).toEqual(applied);
    // The late shipment counts on the day it shipped, March 16: after `now`, so out of today's window.
    const shippedDay = await kpis.days(sam, '2030-03-16', '2030-03-16');
    expect(shippedDay.map(({ counters }) => [counters.shipmentsDue, counters.lateShipments])).toEqual([
      [1, 1],
    ]);
  });

  it('keeps the orders waiting for the seller, soonest deadline first', async () => {
    const sam = newId('seller');
    const early = waiting(sam, 'order-early', 0, new Date('2030-03-09T00:00:00.000Z'));
    const late = waiting(sam, 'order-late', 0, new Date('2030-03-10T00:00:00.000Z'));
    const placed = ({ stepIndex: _step, ...order }: Order): Order => ({
      ...order,
      status: 'awaiting-payment',
      paymentStatus: 'authorising',
      taskToken: 'pay',
    });
    await projectSellerKpis(
      [late, early].flatMap((order) => [changeOf(undefined, placed(order)), changeOf(placed(order), order)]),
      deps(),
      later(),
    );
    const listed = await kpis.waitingOrders(sam, 1);
    expect(listed).toEqual({
      items: [expect.objectContaining({ orderId: 'order-early', step: 'accept', deadline: early.deadline })],
      more: true,
    });
    await projectSellerKpis([changeOf(early, decided(early, 'await-step', hours(1)))], deps(), later());
    expect((await kpis.waitingOrders(sam, 5)).items.map(({ orderId }) => orderId)).toEqual(['order-late']);
    expect((await kpis.dashboardItems(sam)).orderCounts).toEqual({
      'awaiting-payment': 0,
      'in-progress': 2,
      completed: 0,
      cancelled: 0,
    });
  });
});

describe('quality rules evaluated from the projection', () => {
  const lateShipments: QualityRule = {
    kpi: 'lateShipmentRate',
    windowDays: 30,
    warning: 20,
    limit: 50,
    minOrders: 2,
    action: 'hold-payouts',
  };
  const cancellations: QualityRule = {
    kpi: 'acceptanceRate',
    windowDays: 90,
    warning: 90,
    limit: 60,
    minOrders: 2,
    action: 'suspend',
  };

  beforeAll(async () => {
    const current = await quality.rules();
    await quality.saveRules([lateShipments, cancellations], current.version, 'ada');
  });

  const shipped = (sellerId: string, lateBy: number | undefined) => {
    const order = waiting(sellerId, newId('order'), 1, new Date('2030-03-01T00:00:00.000Z'));
    return changeOf(
      order,
      decided(order, 'await-step', lateBy === undefined ? hours(2) : hours(168) + lateBy),
    );
  };

  it('warns first, then holds payouts, once each; a released hold stays released until the KPI comes back and crosses again', async () => {
    const sam = newId('seller');
    await projectSellerKpis(
      [shipped(sam, undefined), shipped(sam, undefined), shipped(sam, hours(1))],
      deps(),
      later(),
    );
    let notices = await quality.notices(sam, 10);
    expect(notices.map(({ kpi, level }) => [kpi, level])).toEqual([['lateShipmentRate', 'warning']]);
    expect((await quality.inputs(sam)).hold).toBeUndefined();

    // One late shipment more (2 of 4): past the limit, and the batch delivered twice.
    const batch = [shipped(sam, hours(5))];
    await projectSellerKpis(batch, deps(), later());
    await projectSellerKpis(batch, deps(), later());
    notices = await quality.notices(sam, 10);
    expect(notices.map(({ level, action }) => [level, action])).toEqual([
      ['limit', 'hold-payouts'],
      ['warning', undefined],
    ]);
    const { hold, standing } = await quality.inputs(sam);
    expect(hold).toMatchObject({ by: 'quality-rules', reason: expect.stringContaining('lateShipmentRate') });
    expect(standing?.levels).toEqual({ lateShipmentRate: 'limit', acceptanceRate: 'ok' });
    const actions = (await audit.list(10, undefined, { kind: 'user', id: sam })).items;
    expect(actions.map(({ action, actor }) => [action, actor])).toEqual([
      ['payout-hold.placed', 'quality-rules'],
    ]);

    // An admin releases the hold: another late shipment keeps the KPI past the limit, nothing comes back.
    await payouts.releaseHold(sam, { by: 'ada', reason: 'Courier strike' });
    await projectSellerKpis([shipped(sam, hours(2))], deps(), later());
    expect((await quality.inputs(sam)).hold).toBeUndefined();

    // Back under the limit (3 of 8), then at it again (5 of 10): held again.
    await projectSellerKpis(
      [1, 2, 3].map(() => shipped(sam, undefined)),
      deps(),
      later(),
    );
    expect((await quality.inputs(sam)).standing?.levels.lateShipmentRate).toBe('warning');
    await projectSellerKpis([shipped(sam, hours(1)), shipped(sam, hours(1))], deps(), later());
    expect((await quality.inputs(sam)).hold).toMatchObject({ by: 'quality-rules' });
    expect((await quality.notices(sam, 10)).filter(({ level }) => level === 'limit')).toHaveLength(2);
  });

  it('suspends a seller whose acceptance rate falls past the limit, the warning recorded first', async () => {
    const sid = newId('seller');
    const declines = [0, 1].map(() => {
      const order = waiting(sid, newId('order'), 0, new Date('2030-03-05T00:00:00.000Z'));
      return changeOf(order, decided(order, 'cancel', hours(1)));
    });
    await projectSellerKpis(declines, deps(), later());
    const notices = await quality.notices(sid, 10);
    expect(notices.map(({ level, kpi }) => [level, kpi])).toEqual([
      ['limit', 'acceptanceRate'],
      ['warning', 'acceptanceRate'],
    ]);
    expect((notices[1]?.at ?? '') < (notices[0]?.at ?? '')).toBe(true);
    expect(await suspensions.get(sid)).toMatchObject({
      by: 'quality-rules',
      payoutHoldSince: notices[0]?.at,
    });
  });
});
