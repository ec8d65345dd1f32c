import { onFirstUse } from '#shared/config/on-first-use.ts';
import { tableName } from '#shared/store/client.ts';
import { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { documentClient } from './document-client.ts';
import { ledgerStore } from './ledger-store.ts';

export const payoutRunStore = onFirstUse(() => new PayoutRunStore(documentClient, tableName(), ledgerStore));
