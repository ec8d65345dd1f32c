import { OrderStore } from '#shared/store/order-store.ts';
import { tableStore } from './document-client.ts';

export const orderStore = tableStore(OrderStore);
