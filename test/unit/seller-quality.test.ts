import { describe, expect, it } from 'vitest';
import {
  evaluateQuality,
  levelOf,
  type QualityRule,
  qualityRuleProblems,
} from '#shared/domain/quality-rules.ts';
import {
  acceptanceBucketBounds,
  acceptanceBucketOf,
  addCounters,
  type KpiCounters,
  kpisOf,
  medianAcceptanceSeconds,
  noCounters,
  windowCounters,
  windowStart,
} from '#shared/domain/seller-kpis.ts';

const counters = (counts: Partial<Omit<KpiCounters, 'acceptanceTimes'>>, acceptedAfter: number[] = []) => ({
  ...noCounters,
  ...counts,
  acceptanceTimes: noCounters.acceptanceTimes.map(
    (_, bucket) => acceptedAfter.filter((seconds) => acceptanceBucketOf(seconds) === bucket).length,
  ),
});

describe('KPI arithmetic', () => {
  it('turns counters into rates in percent, the average rating in stars, and keeps the ratio exact', () => {
    const kpis = kpisOf(
      counters({
        received: 8,
        acceptanceDecisions: 3,
        accepted: 2,
        shipmentsDue: 4,
        lateShipments: 1,
        closed: 6,
        cancelled: 2,
        disputes: 1,
        chargebacks: 2,
        reviews: 3,
        ratingSum: 11,
      }),
    );
    expect(kpis.acceptanceRate).toEqual({
      samples: 3,
      value: 66.67,
      ratio: { numerator: 2, denominator: 3, scale: 100 },
    });
    expect(kpis.lateShipmentRate.value).toBe(25);
    expect(kpis.cancellationRate.value).toBe(33.33);
    expect(kpis.disputeRate.value).toBe(12.5);
    expect(kpis.chargebackRate.value).toBe(25);
    expect(kpis.averageRating).toMatchObject({ samples: 3, value: 3.67 });
    expect(kpis.medianAcceptanceSeconds).toEqual({ samples: 0 });
  });

  it('reads nothing where nothing was measured', () => {
    const kpis = kpisOf(noCounters);
    for (const reading of Object.values(kpis)) expect(reading).toEqual({ samples: 0 });
  });

  it('reads the median acceptance time as the upper bound of the bucket holding the middle acceptance', () => {
    expect(acceptanceBucketOf(0)).toBe(0);
    expect(acceptanceBucketOf(300)).toBe(0);
    expect(acceptanceBucketOf(301)).toBe(1);
    expect(acceptanceBucketOf(10 * 86_400)).toBe(acceptanceBucketBounds.length);
    const histogram = counters({}, [60, 1000, 1000, 4000, 90_000]).acceptanceTimes;
    // The third of five took 1000 s: its bucket runs from 900 s to 1800 s.
    expect(medianAcceptanceSeconds(histogram)).toBe(1800);
    // Of an even count, the lower middle: the second of four.
    expect(medianAcceptanceSeconds(counters({}, [60, 1000, 4000, 90_000]).acceptanceTimes)).toBe(1800);
    // Beyond the last bound, the last bound.
    expect(medianAcceptanceSeconds(counters({}, [10 * 86_400]).acceptanceTimes)).toBe(259_200);
    expect(medianAcceptanceSeconds(noCounters.acceptanceTimes)).toBeUndefined();
  });

  it('merges days by adding counters and histograms, so a window is the sum of its days', () => {
    const monday = counters({ acceptanceDecisions: 2, accepted: 2 }, [100, 5000]);
    const tuesday = counters({ acceptanceDecisions: 1, accepted: 1 }, [5000]);
    const sum = addCounters(monday, tuesday);
    expect(sum.accepted).toBe(3);
    expect(medianAcceptanceSeconds(sum.acceptanceTimes)).toBe(5400);
  });

  it('takes the days of the window ending today, UTC, and no others', () => {
    const now = new Date('2030-03-31T23:59:00.000Z');
    expect(windowStart(30, now)).toBe('2030-03-02');
    expect(windowStart(90, now)).toBe('2030-01-01');
    const days = [
      { day: '2030-03-01', counters: counters({ received: 1 }) },
      { day: '2030-03-02', counters: counters({ received: 2 }) },
      { day: '2030-03-31', counters: counters({ received: 4 }) },
      { day: '2030-04-01', counters: counters({ received: 8 }) },
    ];
    expect(windowCounters(days, 30, now).received).toBe(6);
    expect(windowCounters(days, 90, now).received).toBe(7);
  });
});

const rule = (overrides: Partial<QualityRule> = {}): QualityRule => ({
  kpi: 'lateShipmentRate',
  windowDays: 30,
  warning: 10,
  limit: 20,
  minOrders: 5,
  action: 'hold-payouts',
  ...overrides,
});

describe('quality rule settings', () => {
  it('accepts thresholds in order for the direction of the KPI', () => {
    expect(qualityRuleProblems([rule(), rule({ kpi: 'acceptanceRate', warning: 90, limit: 80 })])).toEqual(
      [],
    );
  });

  it('names a KPI ruled twice, thresholds out of order or out of their unit', () => {
    expect(
      qualityRuleProblems([
        rule(),
        rule({ warning: 30 }),
        rule({ kpi: 'acceptanceRate', warning: 80, limit: 90 }),
        rule({ kpi: 'averageRating', warning: 6, limit: 0.5 }),
        rule({ kpi: 'cancellationRate', warning: 50, limit: 150 }),
      ]),
    ).toEqual([
      { path: [1, 'kpi'], message: 'lateShipmentRate has a rule already' },
      { path: [1, 'warning'], message: 'must be below the limit: a higher lateShipmentRate is worse' },
      { path: [2, 'warning'], message: 'must be above the limit: a higher acceptanceRate is better' },
      { path: [3, 'warning'], message: 'must be from 1 to 5 (stars)' },
      { path: [3, 'limit'], message: 'must be from 1 to 5 (stars)' },
      { path: [4, 'limit'], message: 'must be from 0 to 100 (percent)' },
    ]);
  });
});

describe('quality rule evaluation', () => {
  const late = (lateShipments: number, shipmentsDue: number) =>
    kpisOf(counters({ lateShipments, shipmentsDue })).lateShipmentRate;

  it('applies a rule only once the KPI is measured on its minimum of orders', () => {
    expect(levelOf(rule(), late(4, 4))).toBe('ok');
    expect(levelOf(rule(), late(1, 10))).toBe('warning');
    expect(levelOf(rule(), late(2, 10))).toBe('limit');
    expect(levelOf(rule(), late(1, 11))).toBe('ok');
  });

  it('compares ratios exactly: 1 of 3 is not 33.33 %', () => {
    const third = late(1, 3);
    expect(levelOf(rule({ warning: 33.33, limit: 33.34, minOrders: 1 }), third)).toBe('warning');
    expect(levelOf(rule({ warning: 30, limit: 33.33, minOrders: 1 }), third)).toBe('limit');
  });

  it('reads lower as worse for the acceptance rate and the rating', () => {
    const acceptance = rule({ kpi: 'acceptanceRate', warning: 90, limit: 80, minOrders: 1 });
    const rate = (accepted: number) => kpisOf(counters({ accepted, acceptanceDecisions: 10 })).acceptanceRate;
    expect(levelOf(acceptance, rate(10))).toBe('ok');
    expect(levelOf(acceptance, rate(9))).toBe('warning');
    expect(levelOf(acceptance, rate(8))).toBe('limit');
  });

  const windows = (reading: ReturnType<typeof late>) => {
    const readings = { ...kpisOf(noCounters), lateShipmentRate: reading };
    return { 30: readings, 90: readings };
  };

  it('warns, then acts, on crossing up: a change crossing both gives the warning first', () => {
    expect(evaluateQuality([rule()], windows(late(1, 10)), {}).steps.map((step) => step.kind)).toEqual([
      'warn',
    ]);
    const both = evaluateQuality([rule()], windows(late(3, 10)), {});
    expect(both.steps.map((step) => step.kind)).toEqual(['warn', 'act']);
    expect(both.levels).toEqual({ lateShipmentRate: 'limit' });
    expect(
      evaluateQuality([rule()], windows(late(3, 10)), { lateShipmentRate: 'warning' }).steps.map(
        (step) => step.kind,
      ),
    ).toEqual(['act']);
  });

  it('does nothing more while the KPI stays past the limit, so an override holds until it comes back and crosses again', () => {
    const still = evaluateQuality([rule()], windows(late(5, 10)), { lateShipmentRate: 'limit' });
    expect(still.steps).toEqual([]);
    const back = evaluateQuality([rule()], windows(late(1, 10)), { lateShipmentRate: 'limit' });
    expect(back).toEqual({ levels: { lateShipmentRate: 'warning' }, steps: [] });
    const again = evaluateQuality([rule()], windows(late(2, 10)), back.levels);
    expect(again.steps.map((step) => step.kind)).toEqual(['act']);
  });
});
