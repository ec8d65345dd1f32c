import { SellerStore } from '#shared/store/seller-store.ts';
import { tableStore } from './document-client.ts';

export const sellerStore = tableStore(SellerStore);
