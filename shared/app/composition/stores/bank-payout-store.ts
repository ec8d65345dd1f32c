import { BankPayoutStore } from '#shared/store/bank-payout-store.ts';
import { tableStore } from './document-client.ts';

export const bankPayoutStore = tableStore(BankPayoutStore);
