import {
  type MetricGranularity,
  noCounts,
  type PeriodMetrics,
  periodMetrics,
  periodStarts,
} from '#shared/domain/marketplace-metrics.ts';
import type { MarketplaceMetricsStore } from '#shared/store/marketplace-metrics-store.ts';

export interface MetricsRequest {
  readonly currency: string;
  readonly granularity: MetricGranularity;
  /** `YYYY-MM-DD`, UTC, inclusive: the periods holding `from` through the one holding `to`. */
  readonly from: string;
  readonly to: string;
}

export interface MarketplaceMetrics extends MetricsRequest {
  /** Every period of the range in order, those nothing happened in with zeros. */
  readonly periods: readonly PeriodMetrics[];
}

/** The marketplace's metrics over a range, one Query of one item per period. */
export async function readMarketplaceMetrics(
  store: MarketplaceMetricsStore,
  request: MetricsRequest,
): Promise<MarketplaceMetrics> {
  const { currency, granularity, from, to } = request;
  const counted = await store.periods(currency, granularity, from, to);
  return {
    ...request,
    periods: periodStarts(granularity, from, to).map((start) =>
      periodMetrics(granularity, start, counted.get(start) ?? noCounts),
    ),
  };
}
