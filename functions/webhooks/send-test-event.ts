import { webhookDeliveryQueue } from '#shared/app/composition/queues.ts';
import { eventLogStore } from '#shared/app/composition/stores/event-log-store.ts';
import { webhookDeliveryStore } from '#shared/app/composition/stores/webhook-delivery-store.ts';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { sendTestEvent } from '#shared/app/webhooks/test-events.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.sendWebhookTestEvent, async ({ params, caller }) => ({
  status: 202,
  body: await sendTestEvent(
    { webhooks: webhookStore, deliveries: webhookDeliveryStore, eventLog: eventLogStore },
    webhookDeliveryQueue,
    caller,
    params.endpointId,
  ),
}));
