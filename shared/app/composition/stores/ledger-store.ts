import { LedgerStore } from '#shared/store/ledger-store.ts';
import { tableStore } from './document-client.ts';

export const ledgerStore = tableStore(LedgerStore);
