import { SellerKpiStore } from '#shared/store/seller-kpi-store.ts';
import { tableStore } from './document-client.ts';

export const sellerKpiStore = tableStore(SellerKpiStore);
