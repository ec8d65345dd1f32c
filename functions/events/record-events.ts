import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventLogStore } from '#shared/app/composition/stores/event-log-store.ts';
import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { eventLogSettings } from '#shared/app/events/event-log-settings.ts';
import { eventsOfRecords } from '#shared/app/events/stream-changes.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';

/**
 * Consumes the changes that matter from the table's stream and appends their events to the log,
 * in the stream's order. A batch that fails is retried whole from its first record: records whose
 * events are in the log already add nothing.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  try {
    const orders = new Map<string, ReturnType<typeof orderStore.get>>();
    const orderOf = (orderId: string) => {
      const read = orders.get(orderId) ?? orderStore.get(orderId);
      orders.set(orderId, read);
      return read;
    };
    const changes = await eventsOfRecords(event.Records, orderOf);
    await eventLogStore.append(changes, eventLogSettings().retentionSeconds);
    logger.info('events recorded', {
      records: event.Records.length,
      events: changes.reduce((sum, change) => sum + change.events.length, 0),
    });
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('recording events failed', { error });
    const [first] = event.Records;
    return { batchItemFailures: [{ itemIdentifier: first?.dynamodb?.SequenceNumber ?? '' }] };
  }
});
