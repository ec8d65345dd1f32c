import { ReviewStore } from '#shared/store/review-store.ts';
import { tableStore } from './document-client.ts';

export const reviewStore = tableStore(ReviewStore);
