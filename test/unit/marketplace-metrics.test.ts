import { describe, expect, it } from 'vitest';
import { metricsContributionOf } from '#shared/app/metrics/metrics-projection.ts';
import { captureOrder } from '#shared/domain/ledger/order-postings.ts';
import {
  average,
  maxPeriods,
  noCounts,
  periodCount,
  periodEnd,
  periodMetrics,
  periodStart,
  periodStarts,
  ratio,
  utcDayOf,
} from '#shared/domain/marketplace-metrics.ts';
import { orderAt } from '../support/order-fixture.ts';

describe('metric periods', () => {
  it('start a week on its Monday and a month on its 1st, in UTC', () => {
    expect(periodStart('week', '2026-12-06')).toBe('2026-11-30');
    expect(periodStart('week', '2026-11-30')).toBe('2026-11-30');
    expect(periodStart('week', '2027-01-01')).toBe('2026-12-28');
    expect(periodStart('month', '2024-02-29')).toBe('2024-02-01');
    expect(periodStart('day', '2024-02-29')).toBe('2024-02-29');
  });

  it('end a week on Sunday and a month on its last day, leap years included', () => {
    expect(periodEnd('week', '2026-12-28')).toBe('2027-01-03');
    expect(periodEnd('month', '2024-02-01')).toBe('2024-02-29');
    expect(periodEnd('month', '2025-02-01')).toBe('2025-02-28');
    expect(periodEnd('month', '2026-12-01')).toBe('2026-12-31');
  });

  it('list every period holding a day of the range, and count them without listing', () => {
    expect(periodStarts('week', '2026-12-06', '2026-12-07')).toEqual(['2026-11-30', '2026-12-07']);
    expect(periodStarts('month', '2026-11-30', '2027-01-01')).toEqual([
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
    ]);
    for (const [granularity, from, to] of [
      ['day', '2024-01-01', '2024-12-31'],
      ['week', '2025-01-01', '2026-12-31'],
      ['month', '2024-01-31', '2026-12-01'],
      ['day', '2026-03-28', '2026-03-30'],
    ] as const) {
      expect(periodCount(granularity, from, to)).toBe(periodStarts(granularity, from, to).length);
    }
    expect(periodCount('day', '2024-01-01', '2024-12-31')).toBe(maxPeriods.day);
    expect(periodCount('day', '2024-01-02', '2024-01-01')).toBe(0);
  });

  it('take the UTC day of a timestamp, whatever its offset', () => {
    expect(utcDayOf('2026-12-01T00:30:00+02:00')).toBe('2026-11-30');
    expect(utcDayOf('2026-11-30T23:59:59.999Z')).toBe('2026-11-30');
    expect(() => utcDayOf('yesterday')).toThrow('not a timestamp');
    expect(() => periodStart('day', '2026-02-30')).toThrow('not a date');
  });
});

describe('metric arithmetic', () => {
  it('rounds ratios half away from zero to 4 places in integers, and divides by nothing to null', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(1, 20_000)).toBe(0.0001);
    expect(ratio(1, 20_001)).toBe(0);
    expect(ratio(-1, 20_000)).toBe(-0.0001);
    expect(ratio(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe(1);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(5, -10)).toBeNull();
  });

  it('averages whole minor units, half up', () => {
    expect(average(10_001, 2)).toBe(5001);
    expect(average(10_000, 3)).toBe(3333);
    expect(average(20_000, 3)).toBe(6667);
    expect(average(0, 0)).toBeNull();
  });

  it('derives net GMV, commission revenue and the rates from one period’s counts', () => {
    const metrics = periodMetrics('week', '2026-11-30', {
      ...noCounts,
      ordersPlaced: 7,
      ordersCaptured: 3,
      ordersCompleted: 2,
      ordersCancelled: 1,
      captured: 30_001,
      commission: 3000,
      refunds: 1,
      refunded: 1000,
      chargebacksOpened: 1,
      chargebacksLost: 1,
      chargedBack: 5000,
      commissionReturned: 600,
    });
    expect(metrics).toMatchObject({
      start: '2026-11-30',
      end: '2026-12-06',
      netCaptured: 24_001,
      commissionRevenue: 2400,
      takeRate: 0.1,
      cancellationRate: 0.3333,
      averageOrderValue: 10_000,
      refundRate: 0.0333,
      chargebackRate: 0.3333,
    });
  });
});

describe('what a change counts', () => {
  const now = new Date('2026-12-05T23:30:00.000Z');
  const order = orderAt(now, { status: 'awaiting-payment', paymentStatus: 'authorising', version: 1 });

  it('counts a capture’s total and commission on the day it was posted', () => {
    const transaction = { ...captureOrder(order), postedAt: '2026-12-06T00:00:00.000Z' };
    expect(metricsContributionOf({ sourceId: 's', kind: 'ledger-transaction', transaction })).toEqual({
      sourceId: 's',
      currency: 'EUR',
      day: '2026-12-06',
      counts: { ordersCaptured: 1, captured: 10_000, commission: 1000 },
      members: [],
    });
  });

  it('counts a placed order on the day it was created, and its buyer and seller once captured', () => {
    expect(metricsContributionOf({ sourceId: 'a', kind: 'order', order: { after: order } })).toMatchObject({
      day: '2026-12-05',
      counts: { ordersPlaced: 1 },
      members: [],
    });
    const captured = { ...order, paymentStatus: 'captured' as const, updatedAt: '2026-12-06T01:00:00.000Z' };
    expect(
      metricsContributionOf({ sourceId: 'b', kind: 'order', order: { before: order, after: captured } }),
    ).toMatchObject({
      day: '2026-12-06',
      counts: {},
      members: [
        { role: 'buyer', userId: 'buyer' },
        { role: 'seller', userId: 'seller' },
      ],
    });
    expect(
      metricsContributionOf({ sourceId: 'c', kind: 'order', order: { before: captured, after: captured } }),
    ).toBeUndefined();
  });
});
