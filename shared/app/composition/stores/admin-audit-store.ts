import { AdminAuditStore } from '#shared/store/admin-audit-store.ts';
import { tableStore } from './document-client.ts';

export const adminAuditStore = tableStore(AdminAuditStore);
