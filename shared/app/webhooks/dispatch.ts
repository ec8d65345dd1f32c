import type { DynamoDBRecord } from 'aws-lambda';
import { receivesEvent, type WebhookEndpoint } from '#shared/domain/webhooks.ts';
import type { MarketplaceEvent } from '#shared/events/catalog.ts';
import type { MessageQueue } from '#shared/queue/port.ts';
import { marketplaceEventEntity, userFeedEventEntity } from '#shared/store/entities/marketplace-event.ts';
import type { WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
import type { WebhookStore } from '#shared/store/webhook-store.ts';
import { streamImage } from '#shared/streams/batch.ts';
import { queueAttempt } from './delivery-messages.ts';

/**
 * The event an appended item carries and whose endpoints receive it: the admins' feed is the
 * marketplace's (`platform`), a user's feed copy that user's.
 */
function appendedEvent(record: DynamoDBRecord): { owner: string; event: MarketplaceEvent } | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const whole = streamImage(record, 'NewImage', marketplaceEventEntity);
  if (whole) return { owner: 'platform', event: whole };
  const copy = streamImage(record, 'NewImage', userFeedEventEntity);
  const user = record.dynamodb?.Keys?.PK?.S?.replace(/^EVENTLOG#USER#/, '');
  return copy && user ? { owner: user, event: copy } : undefined;
}

/**
 * Records a delivery for every endpoint that receives each appended event, and queues it. A record
 * seen again queues only the deliveries not attempted yet: the worker tells a repeat apart.
 */
export async function dispatchEvents(
  records: readonly DynamoDBRecord[],
  stores: { webhooks: WebhookStore; deliveries: WebhookDeliveryStore },
  queue: MessageQueue,
  now = new Date(),
): Promise<number> {
  const appended = records.flatMap((record) => appendedEvent(record) ?? []);
  const withEndpoints =
    appended.length > 0
      ? await stores.webhooks.ownersWithEndpoints(appended.map(({ owner }) => owner))
      : new Set();
  const endpointsOf = new Map<string, Promise<WebhookEndpoint[]>>();
  let queued = 0;
  for (const { owner, event } of appended.filter(({ owner }) => withEndpoints.has(owner))) {
    const endpoints = endpointsOf.get(owner) ?? stores.webhooks.list(owner);
    endpointsOf.set(owner, endpoints);
    for (const endpoint of (await endpoints).filter((candidate) => receivesEvent(candidate, event.type))) {
      const delivery = {
        endpointId: endpoint.id,
        owner,
        id: event.position,
        eventId: event.id,
        eventType: event.type,
        position: event.position,
        createdAt: now.toISOString(),
      };
      const created = await stores.deliveries.create(delivery, now);
      const waiting =
        created || (await stores.deliveries.get(endpoint.id, delivery.id))?.attempts.length === 0;
      if (!waiting) continue;
      await queueAttempt(queue, { ...delivery, attempts: [] });
      queued += 1;
    }
  }
  return queued;
}
