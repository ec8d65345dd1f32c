import { ReportStore } from '#shared/store/report-store.ts';
import { tableStore } from './document-client.ts';

export const reportStore = tableStore(ReportStore);
