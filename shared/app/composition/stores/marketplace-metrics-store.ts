import { MarketplaceMetricsStore } from '#shared/store/marketplace-metrics-store.ts';
import { tableStore } from './document-client.ts';

export const marketplaceMetricsStore = tableStore(MarketplaceMetricsStore);
