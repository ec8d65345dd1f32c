import type { Caller } from '#shared/domain/caller.ts';
import type { MessageQueue } from '#shared/queue/port.ts';
import { positionKey } from '#shared/store/entities/marketplace-event.ts';
import { testDeliveryId } from '#shared/store/entities/webhook-delivery.ts';
import type { EventLogStore } from '#shared/store/event-log-store.ts';
import type { NewDelivery, WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
import type { WebhookStore } from '#shared/store/webhook-store.ts';
import { webhookTestEvent } from '#shared/webhooks/test-event.ts';
import { queueAttempt } from './delivery-messages.ts';
import { ownEnabledEndpoint } from './endpoints.ts';

/**
 * Sends a test event to one of the caller's endpoints through the delivery path events take:
 * recorded in its deliveries, signed, retried on the schedule.
 */
export async function sendTestEvent(
  stores: { webhooks: WebhookStore; deliveries: WebhookDeliveryStore; eventLog: EventLogStore },
  queue: MessageQueue,
  caller: Caller,
  endpointId: string,
  now = new Date(),
) {
  const endpoint = await ownEnabledEndpoint(stores.webhooks, caller, endpointId);
  const event = webhookTestEvent(endpoint, caller, now);
  const delivery: NewDelivery = {
    endpointId: endpoint.id,
    owner: endpoint.owner,
    id: testDeliveryId(positionKey(await stores.eventLog.lastPosition()), now),
    eventId: event.id,
    eventType: event.type,
    testEvent: event,
    createdAt: now.toISOString(),
  };
  await stores.deliveries.create(delivery, now);
  await queueAttempt(queue, { ...delivery, attempts: [] });
  return { deliveryId: delivery.id, event };
}
