import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { webhookDeliveryQueue } from '#shared/app/composition/queues.ts';
import { webhookDeliveryStore } from '#shared/app/composition/stores/webhook-delivery-store.ts';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { dispatchEvents } from '#shared/app/webhooks/dispatch.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';

/**
 * Consumes the events appended to the log from the table's stream and queues a delivery to every
 * webhook endpoint that receives each: the marketplace's for every event, a seller's for theirs.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const queued = await dispatchEvents(
    event.Records,
    { webhooks: webhookStore, deliveries: webhookDeliveryStore },
    webhookDeliveryQueue,
  );
  logger.info('webhook deliveries queued', { records: event.Records.length, queued });
  return { batchItemFailures: [] };
});
