/**
 * The operator's marketplace metrics: what is counted per currency and period, the periods, and the
 * rates derived from the counts. The definitions are in docs/design/operator-metrics.md.
 */

export const metricGranularities = ['day', 'week', 'month'] as const;
export type MetricGranularity = (typeof metricGranularities)[number];

/** What one period adds up, in one currency: every field is summed with ADD. */
export interface MetricCounts {
  /** Orders whose checkout created them. */
  readonly ordersPlaced: number;
  /** Captures posted: orders whose payment was taken. */
  readonly ordersCaptured: number;
  readonly ordersCompleted: number;
  readonly ordersCancelled: number;
  /** What captures took from buyers (GMV), minor units. */
  readonly captured: number;
  /** The platform's commission on those captures. */
  readonly commission: number;
  readonly refunds: number;
  /** What refunds gave back to buyers. */
  readonly refunded: number;
  /** Chargebacks opened by the buyers' card networks. */
  readonly chargebacksOpened: number;
  /** Chargebacks lost: the buyer kept the money. */
  readonly chargebacksLost: number;
  /** What lost chargebacks gave back to buyers. */
  readonly chargedBack: number;
  /** The commission refunds and lost chargebacks took back from the platform. */
  readonly commissionReturned: number;
  /** Payout lines paid: transfers to sellers' accounts. */
  readonly payouts: number;
  readonly paidOut: number;
  /** Distinct buyers with a captured order in the period. */
  readonly activeBuyers: number;
  /** Distinct sellers with a captured order in the period. */
  readonly activeSellers: number;
}

export const metricCountNames = [
  'ordersPlaced',
  'ordersCaptured',
  'ordersCompleted',
  'ordersCancelled',
  'captured',
  'commission',
  'refunds',
  'refunded',
  'chargebacksOpened',
  'chargebacksLost',
  'chargedBack',
  'commissionReturned',
  'payouts',
  'paidOut',
  'activeBuyers',
  'activeSellers',
] as const satisfies readonly (keyof MetricCounts)[];

export const noCounts: MetricCounts = Object.fromEntries(metricCountNames.map((name) => [name, 0])) as Record<
  keyof MetricCounts,
  number
>;

/** The people counted once per period, whatever they do in it. */
export const memberRoles = ['buyer', 'seller'] as const;
export type MemberRole = (typeof memberRoles)[number];

export const memberCountOf: Readonly<Record<MemberRole, keyof MetricCounts>> = {
  buyer: 'activeBuyers',
  seller: 'activeSellers',
};

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** The UTC day (`YYYY-MM-DD`) of an instant given as an ISO 8601 timestamp. */
export function utcDayOf(timestamp: string): string {
  const at = new Date(timestamp);
  if (Number.isNaN(at.getTime())) throw new Error(`${timestamp} is not a timestamp`);
  return at.toISOString().slice(0, 10);
}

/** Whether `day` is a date of the calendar written `YYYY-MM-DD` (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return dayPattern.test(day) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

function dateOf(day: string): Date {
  if (!isCalendarDay(day)) throw new Error(`${day} is not a date YYYY-MM-DD`);
  return new Date(`${day}T00:00:00Z`);
}

const dayOfDate = (date: Date) => date.toISOString().slice(0, 10);

export const addDays = (day: string, days: number) =>
  dayOfDate(new Date(dateOf(day).getTime() + days * dayMs));

/** The first day of the period of `granularity` that holds `day`: itself, its week's Monday, its month's 1st. */
export function periodStart(granularity: MetricGranularity, day: string): string {
  const date = dateOf(day);
  if (granularity === 'day') return day;
  if (granularity === 'week') return addDays(day, -((date.getUTCDay() + 6) % 7));
  return `${day.slice(0, 7)}-01`;
}

/** The last day of the period starting on `start`. */
export function periodEnd(granularity: MetricGranularity, start: string): string {
  if (granularity === 'day') return start;
  if (granularity === 'week') return addDays(start, 6);
  const date = dateOf(start);
  return dayOfDate(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}

const nextPeriod = (granularity: MetricGranularity, start: string) =>
  addDays(periodEnd(granularity, start), 1);

/** The starts of the periods of `granularity` holding any day from `from` to `to`, in order. */
export function periodStarts(granularity: MetricGranularity, from: string, to: string): string[] {
  const starts: string[] = [];
  const last = periodStart(granularity, to);
  for (let start = periodStart(granularity, from); start <= last; start = nextPeriod(granularity, start)) {
    starts.push(start);
  }
  return starts;
}

/** Every period of every granularity a day belongs to: where its counts are added. */
export const periodsOfDay = (day: string) =>
  metricGranularities.map((granularity) => ({ granularity, start: periodStart(granularity, day) }));

/** How many periods of `granularity` hold the days from `from` to `to` (0 when `to` is before `from`). */
export function periodCount(granularity: MetricGranularity, from: string, to: string): number {
  if (to < from) return 0;
  const first = dateOf(periodStart(granularity, from));
  const last = dateOf(periodStart(granularity, to));
  if (granularity === 'month') {
    return (
      (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1
    );
  }
  const days = Math.round((last.getTime() - first.getTime()) / dayMs);
  return (granularity === 'week' ? days / 7 : days) + 1;
}

/** How many periods one query may ask for, per granularity: a year of days, two of weeks, three of months. */
export const maxPeriods: Readonly<Record<MetricGranularity, number>> = { day: 366, week: 106, month: 36 };

/**
 * A ratio to 4 decimal places, rounded half away from zero in integers; null when the
 * denominator is not positive (nothing to divide by, or a period that gave back more than it took).
 */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  const divisor = BigInt(denominator);
  const basisPoints = (BigInt(Math.abs(numerator)) * 20_000n + divisor) / (2n * divisor);
  return (numerator < 0 ? -Number(basisPoints) : Number(basisPoints)) / 10_000;
}

/** `amount / count` in whole minor units, rounded half up; null when the count is 0. */
export function average(amount: number, count: number): number | null {
  if (count <= 0) return null;
  return Number((2n * BigInt(amount) + BigInt(count)) / (2n * BigInt(count)));
}

/** A period's metrics: its counts and what is derived from them. */
export interface PeriodMetrics extends MetricCounts {
  readonly start: string;
  readonly end: string;
  /** GMV less what refunds and lost chargebacks gave back. */
  readonly netCaptured: number;
  /** Commission earned less the commission given back. */
  readonly commissionRevenue: number;
  /** commissionRevenue / netCaptured. */
  readonly takeRate: number | null;
  /** ordersCancelled / (ordersCompleted + ordersCancelled): of the orders that ended, those cancelled. */
  readonly cancellationRate: number | null;
  /** captured / ordersCaptured. */
  readonly averageOrderValue: number | null;
  /** refunded / captured. */
  readonly refundRate: number | null;
  /** chargebacksOpened / ordersCaptured. */
  readonly chargebackRate: number | null;
}

export function periodMetrics(
  granularity: MetricGranularity,
  start: string,
  counts: MetricCounts,
): PeriodMetrics {
  const netCaptured = counts.captured - counts.refunded - counts.chargedBack;
  const commissionRevenue = counts.commission - counts.commissionReturned;
  return {
    start,
    end: periodEnd(granularity, start),
    ...counts,
    netCaptured,
    commissionRevenue,
    takeRate: ratio(commissionRevenue, netCaptured),
    cancellationRate: ratio(counts.ordersCancelled, counts.ordersCompleted + counts.ordersCancelled),
    averageOrderValue: average(counts.captured, counts.ordersCaptured),
    refundRate: ratio(counts.refunded, counts.captured),
    chargebackRate: ratio(counts.chargebacksOpened, counts.ordersCaptured),
  };
}
