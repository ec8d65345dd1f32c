import { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { tableStore } from './document-client.ts';

export const paymentsAccountStore = tableStore(PaymentsAccountStore);
