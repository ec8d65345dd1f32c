/**
 * A seller's quality KPIs, as Mirakl's Quality Control names them, added up from per-day counters:
 * each counter counts a moment on the UTC day it happened, so a trailing window is the sum of its
 * days. See docs/design/seller-quality.md.
 */

/** The trailing windows KPIs are read over, in days ending with today. */
export const kpiWindows = [30, 90] as const;
export type KpiWindow = (typeof kpiWindows)[number];

/** How long a day's counters are kept: the longest window and a margin. */
export const kpiHistoryDays = 92;

/**
 * Upper bounds (seconds) of the acceptance-time histogram's buckets; a last bucket takes everything
 * longer. A median read from it is the upper bound of the bucket holding the middle acceptance, so it
 * overstates the true median by less than that bucket's width (at most 2× below 10 minutes, at most
 * 1.5× above); one beyond the last bound reads as that bound.
 */
export const acceptanceBucketBounds = [
  300, 600, 900, 1800, 2700, 3600, 5400, 7200, 10_800, 14_400, 21_600, 28_800, 43_200, 64_800, 86_400,
  129_600, 172_800, 259_200,
] as const;
export const acceptanceBucketCount = acceptanceBucketBounds.length + 1;

/** What one day adds to a seller's KPIs. Every field is a count, or a sum of ratings. */
export interface KpiCounters {
  /** Orders whose payment was authorised: they entered their process. */
  readonly received: number;
  /** Orders that left an acceptance step (the process's first step, when the seller's). */
  readonly acceptanceDecisions: number;
  /** Of those, the ones that went on (not cancelled). */
  readonly accepted: number;
  /** Accepted orders by how long the seller took, per `acceptanceBucketBounds`. */
  readonly acceptanceTimes: readonly number[];
  /** Orders that left their shipping step by shipping, or were cancelled by its timeout. */
  readonly shipmentsDue: number;
  /** Of those, shipped after the step's deadline, or cancelled by its timeout. */
  readonly lateShipments: number;
  /** Orders that entered their process and then completed or were cancelled. */
  readonly closed: number;
  readonly cancelled: number;
  /** Marketplace disputes opened (the process's dispute step entered). */
  readonly disputes: number;
  /** Chargebacks opened by the buyer's card network. */
  readonly chargebacks: number;
  /** Published reviews of the seller, and the sum of their ratings (1 to 5). */
  readonly reviews: number;
  readonly ratingSum: number;
}

export const counterNames = [
  'received',
  'acceptanceDecisions',
  'accepted',
  'shipmentsDue',
  'lateShipments',
  'closed',
  'cancelled',
  'disputes',
  'chargebacks',
  'reviews',
  'ratingSum',
] as const satisfies readonly Exclude<keyof KpiCounters, 'acceptanceTimes'>[];

export const noCounters: KpiCounters = {
  ...(Object.fromEntries(counterNames.map((name) => [name, 0])) as Record<
    (typeof counterNames)[number],
    number
  >),
  acceptanceTimes: new Array<number>(acceptanceBucketCount).fill(0),
};

/** The histogram bucket of an acceptance that took `seconds`. */
export function acceptanceBucketOf(seconds: number): number {
  const index = acceptanceBucketBounds.findIndex((bound) => seconds <= bound);
  return index === -1 ? acceptanceBucketBounds.length : index;
}

export function addCounters(a: KpiCounters, b: KpiCounters): KpiCounters {
  const sums = Object.fromEntries(counterNames.map((name) => [name, a[name] + b[name]]));
  return {
    ...(sums as Record<(typeof counterNames)[number], number>),
    acceptanceTimes: noCounters.acceptanceTimes.map(
      (_, index) => (a.acceptanceTimes[index] ?? 0) + (b.acceptanceTimes[index] ?? 0),
    ),
  };
}

/** Whether the counters add nothing. */
export const isEmpty = (counters: KpiCounters) =>
  counterNames.every((name) => counters[name] === 0) &&
  counters.acceptanceTimes.every((count) => count === 0);

export const kpiNames = [
  'acceptanceRate',
  'medianAcceptanceSeconds',
  'lateShipmentRate',
  'cancellationRate',
  'disputeRate',
  'chargebackRate',
  'averageRating',
] as const;
export type KpiName = (typeof kpiNames)[number];

/** A KPI's unit, and whether a higher value is worse (a rate of late shipments) or better (acceptance). */
export const kpiScales: Readonly<
  Record<KpiName, { readonly unit: 'percent' | 'seconds' | 'stars'; readonly worse: 'higher' | 'lower' }>
> = {
  acceptanceRate: { unit: 'percent', worse: 'lower' },
  medianAcceptanceSeconds: { unit: 'seconds', worse: 'higher' },
  lateShipmentRate: { unit: 'percent', worse: 'higher' },
  cancellationRate: { unit: 'percent', worse: 'higher' },
  disputeRate: { unit: 'percent', worse: 'higher' },
  chargebackRate: { unit: 'percent', worse: 'higher' },
  averageRating: { unit: 'stars', worse: 'lower' },
};

/**
 * One KPI over a window: `samples` is how many orders (or reviews) it is measured on, `value` absent
 * when there are none. A ratio is kept as its parts so rules compare it exactly.
 */
export interface KpiReading {
  readonly samples: number;
  readonly value?: number;
  readonly ratio?: { readonly numerator: number; readonly denominator: number; readonly scale: number };
}

const ratioReading = (numerator: number, denominator: number, scale: number): KpiReading =>
  denominator > 0
    ? {
        samples: denominator,
        value: Math.round((numerator * scale * 100) / denominator) / 100,
        ratio: { numerator, denominator, scale },
      }
    : { samples: 0 };

/** The upper bound of the bucket that holds the middle accepted order (the lower middle of an even count). */
export function medianAcceptanceSeconds(acceptanceTimes: readonly number[]): number | undefined {
  const total = acceptanceTimes.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const middle = Math.ceil(total / 2);
  let seen = 0;
  for (const [index, count] of acceptanceTimes.entries()) {
    seen += count;
    if (seen >= middle) return acceptanceBucketBounds[Math.min(index, acceptanceBucketBounds.length - 1)];
  }
  return undefined;
}

export type KpiReadings = Readonly<Record<KpiName, KpiReading>>;

/** The KPIs of a window from the sum of its days' counters. Rates in percent, ratings in stars. */
export function kpisOf(counters: KpiCounters): KpiReadings {
  const accepted = counters.acceptanceTimes.reduce((sum, count) => sum + count, 0);
  const median = medianAcceptanceSeconds(counters.acceptanceTimes);
  return {
    acceptanceRate: ratioReading(counters.accepted, counters.acceptanceDecisions, 100),
    medianAcceptanceSeconds: median === undefined ? { samples: 0 } : { samples: accepted, value: median },
    lateShipmentRate: ratioReading(counters.lateShipments, counters.shipmentsDue, 100),
    cancellationRate: ratioReading(counters.cancelled, counters.closed, 100),
    disputeRate: ratioReading(counters.disputes, counters.received, 100),
    chargebackRate: ratioReading(counters.chargebacks, counters.received, 100),
    averageRating: ratioReading(counters.ratingSum, counters.reviews, 1),
  };
}

/** `YYYY-MM-DD` of a moment, in UTC. */
export const utcDayOf = (at: string | Date) => new Date(at).toISOString().slice(0, 10);

/** The first day of the trailing window of `days` days that ends with `now`'s day. */
export function windowStart(days: number, now: Date): string {
  const today = Date.parse(`${utcDayOf(now)}T00:00:00Z`);
  return utcDayOf(new Date(today - (days - 1) * 86_400_000));
}

/** The counters of the days of the window ending with `now`'s day, added up. */
export function windowCounters(
  days: readonly { readonly day: string; readonly counters: KpiCounters }[],
  window: number,
  now: Date,
): KpiCounters {
  const from = windowStart(window, now);
  const to = utcDayOf(now);
  return days
    .filter(({ day }) => day >= from && day <= to)
    .reduce((sum, { counters }) => addCounters(sum, counters), noCounters);
}
