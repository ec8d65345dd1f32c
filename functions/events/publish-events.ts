import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBus } from '#shared/app/composition/event-bus.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { marketplaceEventEntity } from '#shared/store/entities/marketplace-event.ts';
import { streamImage } from '#shared/streams/batch.ts';

/**
 * Puts each event appended to the log on the marketplace's EventBridge bus, in the log's order. When
 * the bus refuses one, the batch is retried from that event's record: delivery is at least once, and
 * a rule's target tells a repeat by the event's `id`.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const appended = event.Records.flatMap((record) => {
    const logged =
      record.eventName === 'INSERT' ? streamImage(record, 'NewImage', marketplaceEventEntity) : undefined;
    return logged ? [{ record, logged }] : [];
  });
  const { put, failure } = await eventBus.publish(appended.map(({ logged }) => logged));
  logger.info('events put on the bus', { put, of: appended.length });
  const refused = appended[put];
  if (!refused) return { batchItemFailures: [] };
  logger.error('the bus refused an event', { eventId: refused.logged.id, failure });
  return { batchItemFailures: [{ itemIdentifier: refused.record.dynamodb?.SequenceNumber ?? '' }] };
});
