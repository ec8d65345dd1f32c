import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { searchIndex } from '#shared/app/composition/search-index.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { applyIndexChange, indexChangeFor } from '#shared/search/indexing.ts';
import { listingEntity } from '#shared/store/entities/listing.ts';
import { handleInOrder, streamImage } from '#shared/streams/batch.ts';

/** A write to a missing index would create it with guessed mappings, so make sure it exists first. */
let indexReady: Promise<void> | undefined;
function ensureIndexOnce(): Promise<void> {
  indexReady ??= searchIndex.ensureIndex().catch((error: unknown) => {
    indexReady = undefined;
    throw error;
  });
  return indexReady;
}

async function indexRecord(record: DynamoDBRecord): Promise<void> {
  const change = indexChangeFor(
    streamImage(record, 'OldImage', listingEntity),
    streamImage(record, 'NewImage', listingEntity),
  );
  if (change) await applyIndexChange(searchIndex, change);
}

/**
 * Keeps the search index in step with the table's stream, record by record in order. Versions make
 * every write idempotent, so a retried or replayed record changes nothing.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  await ensureIndexOnce();
  return handleInOrder(event, 'indexing', indexRecord);
});
