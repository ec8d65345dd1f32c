import { CommissionRulesStore } from '#shared/store/commission-store.ts';
import { tableStore } from './document-client.ts';

export const commissionRulesStore = tableStore(CommissionRulesStore);
