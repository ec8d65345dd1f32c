import { marketplaceMetricsStore } from '#shared/app/composition/stores/marketplace-metrics-store.ts';
import { readMarketplaceMetrics } from '#shared/app/metrics/read-metrics.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { metricsRoutes } from '../routes/metrics.ts';

export const handler = httpHandler(metricsRoutes.getMarketplaceMetrics, async ({ query }) => ({
  status: 200,
  body: await readMarketplaceMetrics(marketplaceMetricsStore, query),
}));
