import { lookup } from 'node:dns/promises';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { webhookDeliveryQueue } from '#shared/app/composition/queues.ts';
import { eventLogStore } from '#shared/app/composition/stores/event-log-store.ts';
import { webhookDeliveryStore } from '#shared/app/composition/stores/webhook-delivery-store.ts';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { attemptDelivery, type DeliveryDependencies } from '#shared/app/webhooks/deliver.ts';
import { deliveryMessageOf } from '#shared/app/webhooks/delivery-messages.ts';
import { redeliverRangePage } from '#shared/app/webhooks/redeliver.ts';
import { webhookSettings } from '#shared/app/webhooks/webhook-settings.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { postDelivery } from '#shared/webhooks/http-delivery.ts';

const resolve = async (host: string) => (await lookup(host, { all: true })).map(({ address }) => address);

const attemptsMade = async (endpointId: string, deliveryId: string) =>
  (await webhookDeliveryStore.get(endpointId, deliveryId))?.attempts.length ?? 0;

async function handle(body: string, deps: DeliveryDependencies) {
  const message = await deliveryMessageOf(body, attemptsMade);
  if (message.kind === 'attempt') return attemptDelivery(message, deps);
  const progress = await redeliverRangePage(message, deps);
  logger.info('range redelivery page handled', { request: message.request.id, ...progress });
}

/**
 * Makes the deliveries due, each message one attempt, all of a batch at once: a slow receiver holds
 * up only its own. A message whose attempt failed to be recorded comes back from the queue. A range
 * redelivery's message redelivers one page of the range.
 */
export const handler = eventEntryPoint(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const deps: DeliveryDependencies = {
    webhooks: webhookStore,
    deliveries: webhookDeliveryStore,
    eventLog: eventLogStore,
    queue: webhookDeliveryQueue,
    settings: webhookSettings(),
    resolve,
    post: postDelivery,
  };
  const outcomes = await Promise.allSettled(event.Records.map((record) => handle(record.body, deps)));
  const failed = event.Records.filter((_, index) => outcomes[index]?.status === 'rejected');
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') {
      logger.error('webhook attempt failed', {
        error: outcome.reason,
        messageId: event.Records[index]?.messageId,
      });
    }
  }
  return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
});
