import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventArchive } from '#shared/app/composition/event-archive.ts';
import { appendedEvent, archiveAppended } from '#shared/app/events/archive-appended.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';

/**
 * Archives each batch of events appended to the log, as they are appended and long before the table
 * lets them expire: a batch that fails is retried whole, writing the same objects again.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const appended = event.Records.flatMap((record) => appendedEvent(record) ?? []);
  try {
    const objects = await archiveAppended(eventArchive, appended);
    logger.info('events archived', { events: appended.length, objects });
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('archiving events failed', { error });
    const [first] = event.Records;
    return { batchItemFailures: [{ itemIdentifier: first?.dynamodb?.SequenceNumber ?? '' }] };
  }
});
