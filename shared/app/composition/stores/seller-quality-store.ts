import { SellerQualityStore } from '#shared/store/seller-quality-store.ts';
import { tableStore } from './document-client.ts';

export const sellerQualityStore = tableStore(SellerQualityStore);
