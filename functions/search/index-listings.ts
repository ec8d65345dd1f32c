import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Listing } from '#shared/domain/listing.ts';
import { logger } from '#shared/logger.ts';
import { applyIndexChange, indexChangeFor } from '#shared/search/indexing.ts';
import { listingEntity } from '#shared/store/table.ts';
import { searchIndex } from './search-index.ts';

type StreamImage = Record<string, AttributeValue>;

function listingImage(image: StreamImage | undefined): Listing | undefined {
  if (!image) return undefined;
  const item = unmarshall(image);
  return item.entity === listingEntity ? (item as unknown as Listing) : undefined;
}

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
    listingImage(record.dynamodb?.OldImage as StreamImage | undefined),
    listingImage(record.dynamodb?.NewImage as StreamImage | undefined),
  );
  if (change) await applyIndexChange(searchIndex, change);
}

/**
 * Keeps the search index in step with the table's stream. Records are applied in order; at the
 * first failure the rest of the batch is handed back (partial batch response) so Lambda retries
 * from there. Versions make every write idempotent, so a retried or replayed record changes nothing.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  await ensureIndexOnce();
  for (const record of event.Records) {
    try {
      await indexRecord(record);
    } catch (error) {
      logger.error('indexing failed', { error, sequenceNumber: record.dynamodb?.SequenceNumber });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
