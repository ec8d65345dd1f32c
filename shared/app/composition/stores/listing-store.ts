import { ListingStore } from '#shared/store/listing-store.ts';
import { tableStore } from './document-client.ts';

export const listingStore = tableStore(ListingStore);
