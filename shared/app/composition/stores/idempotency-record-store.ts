import { IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import { tableStore } from './document-client.ts';

export const idempotencyRecordStore = tableStore(IdempotencyRecordStore);
