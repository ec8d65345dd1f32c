import { SellerSalesStore } from '#shared/store/seller-sales-store.ts';
import { tableStore } from './document-client.ts';

export const sellerSalesStore = tableStore(SellerSalesStore);
