import { type Account, platformAccount } from '#shared/domain/ledger/accounts.ts';
import { utcDayOf } from '#shared/domain/marketplace-metrics.ts';
import { sumOf } from '#shared/domain/money.ts';
import type { Order } from '#shared/domain/order.ts';
import type { PostedTransaction } from '#shared/store/ledger-views.ts';
import type {
  MarketplaceMetricsStore,
  MetricsContribution,
} from '#shared/store/marketplace-metrics-store.ts';
import type { PayoutLine } from '#shared/store/payout-runs/run-and-line-types.ts';
import type { ItemChange, TableChange } from '#shared/streams/table-changes.ts';

/** Something kept up to date from the table's changes, fed by a stream consumer. */
export interface TableChangeProjection {
  project(changes: readonly TableChange[]): Promise<void>;
}

type Contribution = Omit<MetricsContribution, 'sourceId'>;

const amountOf = (transaction: PostedTransaction, account: Account) =>
  transaction.entries.find((entry) => entry.account === account)?.amount ?? 0;

const returnedOf = (transaction: PostedTransaction) =>
  sumOf((transaction.returnedLines ?? []).map((line) => line.amount));

/** What a posted ledger transaction counts, on the UTC day it was posted. */
function ledgerContribution(transaction: PostedTransaction): Contribution | undefined {
  const counts = (() => {
    switch (transaction.kind) {
      case 'capture':
        return {
          ordersCaptured: 1,
          captured: amountOf(transaction, platformAccount('cash')),
          commission: -amountOf(transaction, platformAccount('fees')),
        };
      case 'refund':
        return {
          refunds: 1,
          refunded: returnedOf(transaction),
          commissionReturned: amountOf(transaction, platformAccount('refunds')),
        };
      case 'dispute-opened':
        return { chargebacksOpened: 1 };
      case 'dispute-lost':
        return {
          chargebacksLost: 1,
          chargedBack: returnedOf(transaction),
          commissionReturned: amountOf(transaction, platformAccount('refunds')),
        };
      default:
        // Releases, won disputes, transfers and their reversals move money the platform already holds.
        return undefined;
    }
  })();
  return (
    counts && { currency: transaction.currency, day: utcDayOf(transaction.postedAt), counts, members: [] }
  );
}

/** What an order's change counts: its placing, completion or cancellation, and its buyer and seller once captured. */
function orderContribution({ before, after }: ItemChange<Order>): Contribution | undefined {
  const became = (status: Order['status']) => after.status === status && before?.status !== status;
  const captured = after.paymentStatus === 'captured' && before?.paymentStatus !== 'captured';
  const counts = {
    ...(before ? {} : { ordersPlaced: 1 }),
    ...(became('completed') ? { ordersCompleted: 1 } : {}),
    ...(became('cancelled') ? { ordersCancelled: 1 } : {}),
  };
  if (Object.keys(counts).length === 0 && !captured) return undefined;
  return {
    currency: after.currency,
    day: utcDayOf(before ? after.updatedAt : after.createdAt),
    counts,
    members: captured
      ? [
          { role: 'buyer', userId: after.buyerId },
          { role: 'seller', userId: after.sellerId },
        ]
      : [],
  };
}

/** A payout line paid: one payout of its amount, on the UTC day it was paid. */
function payoutContribution({ before, after }: ItemChange<PayoutLine>): Contribution | undefined {
  if (after.status !== 'paid' || before?.status === 'paid') return undefined;
  if (after.amount === undefined || after.paidAt === undefined) {
    throw new Error(`Payout line ${after.runId}/${after.sellerId} is paid without an amount or time`);
  }
  return {
    currency: after.currency,
    day: utcDayOf(after.paidAt),
    counts: { payouts: 1, paidOut: after.amount },
    members: [],
  };
}

/** What a change adds to the marketplace's metrics, if anything. */
export function metricsContributionOf(change: TableChange): MetricsContribution | undefined {
  const contribution =
    change.kind === 'ledger-transaction'
      ? ledgerContribution(change.transaction)
      : change.kind === 'order'
        ? orderContribution(change.order)
        : payoutContribution(change.line);
  return contribution && { sourceId: change.sourceId, ...contribution };
}

/** The operator metrics, added to from each batch of changes (docs/design/operator-metrics.md). */
export const marketplaceMetricsProjection = (store: MarketplaceMetricsStore): TableChangeProjection => ({
  project: (changes) => store.add(changes.flatMap((change) => metricsContributionOf(change) ?? [])),
});
