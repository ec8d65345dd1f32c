import { DisputeStore } from '#shared/store/dispute-store.ts';
import { tableStore } from './document-client.ts';

export const disputeStore = tableStore(DisputeStore);
