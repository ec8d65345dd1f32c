import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { suspensionStore } from '#shared/app/composition/stores/suspension-store.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { userSuspensionEntity } from '#shared/store/entities/user-suspension.ts';
import { handleInOrder, streamImage } from '#shared/streams/batch.ts';

/**
 * Brings the user's listings in line with their suspension as it stands now, not as the record
 * says: a retried or late record cannot undo a later change, and marking is idempotent.
 */
async function enforce(record: DynamoDBRecord): Promise<void> {
  const changed =
    streamImage(record, 'NewImage', userSuspensionEntity) ??
    streamImage(record, 'OldImage', userSuspensionEntity);
  if (!changed) return;
  const suspended = (await suspensionStore.get(changed.userId)) !== undefined;
  const listings = await listingStore.markSellerSuspended(changed.userId, suspended);
  logger.info('suspension enforced', { userId: changed.userId, suspended, listings });
}

/** Consumes suspensions from the table's stream: a suspended seller's listings leave the marketplace. */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  return handleInOrder(event, 'enforcing a suspension', enforce);
});
