import { DomainError } from '#shared/domain/errors.ts';
import type { OrderStatus } from '#shared/domain/order.ts';
import { decidePayout, type PayoutPolicy, type SkipReason } from '#shared/domain/payout-run.ts';
import type { QualityLevel } from '#shared/domain/quality-rules.ts';
import { type KpiName, type KpiReadings, utcDayOf, windowStart } from '#shared/domain/seller-kpis.ts';
import type { WaitingOrder } from '#shared/store/entities/seller-kpis.ts';
import type { QualityNotice } from '#shared/store/entities/seller-quality.ts';
import type { LedgerStore } from '#shared/store/ledger-store.ts';
import type { UserBalances } from '#shared/store/ledger-views.ts';
import type { SellerKpiStore } from '#shared/store/seller-kpi-store.ts';
import type { SellerQualityStore } from '#shared/store/seller-quality-store.ts';
import type { SellerSalesStore } from '#shared/store/seller-sales-store.ts';
import { readingsOf } from './evaluate-seller.ts';

export interface DashboardDependencies {
  readonly kpis: Pick<SellerKpiStore, 'dashboardItems' | 'days' | 'waitingOrders'>;
  readonly quality: Pick<SellerQualityStore, 'notices'>;
  readonly sales: Pick<SellerSalesStore, 'dailySalesSince'>;
  readonly ledger: Pick<LedgerStore, 'balances'>;
  readonly payoutPolicy: PayoutPolicy;
}

/** Orders waiting for the seller shown, soonest first; quality notices shown, newest first. */
const waitingShown = 25;
const noticesShown = 10;

export interface SellerDashboard {
  readonly sellerId: string;
  readonly asOf: string;
  readonly orders: {
    readonly byStatus: Readonly<Record<OrderStatus, number>>;
    readonly waitingForSeller: readonly Omit<WaitingOrder, 'sellerId'>[];
    readonly moreWaiting: boolean;
  };
  readonly revenue: readonly { currency: string; last30Days: number; last90Days: number }[];
  readonly balances: readonly (UserBalances & {
    readonly nextPayout: { readonly amount?: number; readonly skipReason?: SkipReason };
  })[];
  readonly payoutHold?: { readonly reason: string; readonly since: string };
  readonly suspended: boolean;
  readonly quality: {
    readonly last30Days: KpiReadings;
    readonly last90Days: KpiReadings;
    readonly levels: Readonly<Partial<Record<KpiName, QualityLevel>>>;
    readonly notices: readonly Omit<QualityNotice, 'sellerId'>[];
  };
}

export const sellerNotFound = (sellerId: string) =>
  new DomainError('not-found', 'seller_not_found', `Seller ${sellerId} has no profile.`);

/** Net sales per currency over the last 30 and 90 days, from the seller's sales days. */
function revenueOf(days: Awaited<ReturnType<SellerSalesStore['dailySalesSince']>>, now: Date) {
  const from30 = windowStart(30, now);
  const today = utcDayOf(now);
  const byCurrency = new Map<string, { currency: string; last30Days: number; last90Days: number }>();
  for (const { currency, day, amount } of days) {
    if (day > today) continue;
    const sums = byCurrency.get(currency) ?? { currency, last30Days: 0, last90Days: 0 };
    byCurrency.set(currency, {
      currency,
      last90Days: sums.last90Days + amount,
      last30Days: sums.last30Days + (day >= from30 ? amount : 0),
    });
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

const readingsView = (readings: KpiReadings) =>
  Object.fromEntries(
    Object.entries(readings).map(([kpi, { samples, value }]) => [
      kpi,
      value === undefined ? { samples } : { samples, value },
    ]),
  ) as KpiReadings;

/**
 * A seller's dashboard: bounded reads only (one BatchGetItem, then five Queries at once), whoever
 * reads it. The caller decides whose dashboard they may read; a seller without a profile is 404.
 */
export async function sellerDashboard(
  sellerId: string,
  deps: DashboardDependencies,
  now = new Date(),
): Promise<SellerDashboard> {
  const [items, readings, waiting, notices, salesDays, balances] = await Promise.all([
    deps.kpis.dashboardItems(sellerId),
    readingsOf(sellerId, deps.kpis, now),
    deps.kpis.waitingOrders(sellerId, waitingShown),
    deps.quality.notices(sellerId, noticesShown),
    deps.sales.dailySalesSince(sellerId, windowStart(90, now)),
    deps.ledger.balances(sellerId),
  ]);
  if (!items.hasProfile) throw sellerNotFound(sellerId);
  const { account, hold } = items;
  return {
    sellerId,
    asOf: now.toISOString(),
    orders: {
      byStatus: items.orderCounts,
      waitingForSeller: waiting.items.map(({ sellerId: _seller, ...order }) => order),
      moreWaiting: waiting.more,
    },
    revenue: revenueOf(salesDays, now),
    balances: balances.map((balance) => {
      const decision = decidePayout(
        {
          payable: balance.available,
          frozen: balance.frozen,
          onHold: hold !== undefined,
          ...(account
            ? {
                account: { stripeAccountId: account.stripeAccountId, payoutsEnabled: account.payoutsEnabled },
              }
            : {}),
        },
        deps.payoutPolicy,
      );
      return {
        ...balance,
        nextPayout: 'pay' in decision ? { amount: decision.pay } : { skipReason: decision.skip },
      };
    }),
    ...(hold ? { payoutHold: { reason: hold.reason, since: hold.since } } : {}),
    suspended: items.suspended,
    quality: {
      last30Days: readingsView(readings[30]),
      last90Days: readingsView(readings[90]),
      levels: items.standing?.levels ?? {},
      notices: notices.map(({ sellerId: _seller, ...notice }) => notice),
    },
  };
}
