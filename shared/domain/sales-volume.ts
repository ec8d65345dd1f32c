import type { Order } from './order.ts';

/** Sales volume counts the 30 UTC days ending with the day of the checkout, that day included. */
export const salesVolumeDays = 30;

/** A UTC day as `YYYY-MM-DD`. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The first and last UTC day (`YYYY-MM-DD`, inclusive) of the trailing sales window at `now`. */
export function salesVolumeWindow(now: Date): { readonly from: string; readonly to: string } {
  const from = new Date(now.getTime() - (salesVolumeDays - 1) * 86_400_000);
  return { from: utcDay(from), to: utcDay(now) };
}

/** What a commission tier asks of a seller: their trailing 30-day sales in one currency. */
export interface SalesVolume {
  /** Net sales in minor units: captures less what refunds and lost chargebacks gave back, at least 0. */
  readonly amount: number;
  /** Distinct buyers still holding a net purchase from the seller (see `BuyerStanding`). */
  readonly buyers: number;
}

export const noSales: SalesVolume = { amount: 0, buyers: 0 };

/** Money that reached a seller from a buyer (a capture), or went back (a refund, a lost chargeback). */
export interface Sale {
  readonly sellerId: string;
  readonly buyerId: string;
  readonly currency: string;
  /** Minor units, at least 0. */
  readonly amount: number;
  /** The UTC day (`YYYY-MM-DD`) it happened. */
  readonly day: string;
}

/** The sale of `amount` of the order's money, happening at `at`. */
export const saleOf = (
  order: Pick<Order, 'sellerId' | 'buyerId' | 'currency'>,
  amount: number,
  at: Date,
): Sale => ({
  sellerId: order.sellerId,
  buyerId: order.buyerId,
  currency: order.currency,
  amount,
  day: utcDay(at),
});

/**
 * Where one buyer stands with one seller in one currency. `net` is what the buyer bought from the
 * seller less what they got back, since their first purchase after a gap of more than the window.
 * While `net` is above 0 the buyer is counted once, on `day`, the day of their latest purchase, so
 * they leave the count when the window has passed their latest purchase, not their first.
 */
export interface BuyerStanding {
  readonly day: string;
  readonly net: number;
}

/** What a sale adds to one day of the seller's volume (negative: takes away). */
export interface DayChange {
  readonly day: string;
  readonly amount: number;
  readonly buyers: number;
}

/** A sale's changes to the seller's days, one per day, and the buyer's standing after it (undefined: unchanged). */
export interface SalesChange {
  readonly days: readonly DayChange[];
  readonly standing?: BuyerStanding;
}

/** The standing if its day is still in the window of `day`; else it counts for nothing any more. */
function standingOn(standing: BuyerStanding | undefined, day: string): BuyerStanding | undefined {
  const { from } = salesVolumeWindow(new Date(`${day}T00:00:00Z`));
  return standing && standing.day >= from ? standing : undefined;
}

/** Adds up changes of the same day, and leaves out the days left unchanged. */
function byDay(changes: readonly DayChange[]): DayChange[] {
  const days = new Map<string, DayChange>();
  for (const change of changes) {
    const earlier = days.get(change.day);
    days.set(
      change.day,
      earlier
        ? { day: change.day, amount: earlier.amount + change.amount, buyers: earlier.buyers + change.buyers }
        : change,
    );
  }
  return [...days.values()].filter((change) => change.amount !== 0 || change.buyers !== 0);
}

/**
 * A capture: its amount goes on its day, and the buyer's count moves there (from the day of their
 * previous purchase, if they were counted), so they count once and for the window after their
 * latest purchase.
 */
export function saleCaptured(standing: BuyerStanding | undefined, sale: Sale): SalesChange {
  const current = standingOn(standing, sale.day);
  const net = (current?.net ?? 0) + sale.amount;
  return {
    days: byDay([
      { day: sale.day, amount: sale.amount, buyers: net > 0 ? 1 : 0 },
      ...(current && current.net > 0 ? [{ day: current.day, amount: 0, buyers: -1 }] : []),
    ]),
    standing: { day: sale.day, net },
  };
}

/**
 * A refund or a lost chargeback: its amount comes off the day it happens (see docs/api.md, commission
 * rules), and a buyer who gets back all they still held stops counting. A buyer's net never goes
 * below 0: what exceeds it was bought before their standing began, outside the window.
 */
export function saleReturned(standing: BuyerStanding | undefined, sale: Sale): SalesChange {
  const days: DayChange[] = [{ day: sale.day, amount: -sale.amount, buyers: 0 }];
  const current = standingOn(standing, sale.day);
  if (!current || current.net <= 0) return { days: byDay(days) };
  const net = Math.max(0, current.net - sale.amount);
  if (net === 0) days.push({ day: current.day, amount: 0, buyers: -1 });
  return { days: byDay(days), standing: { day: current.day, net } };
}
