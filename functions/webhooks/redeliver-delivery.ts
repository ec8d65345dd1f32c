import { webhookDeliveryQueue } from '#shared/app/composition/queues.ts';
import { webhookDeliveryStore } from '#shared/app/composition/stores/webhook-delivery-store.ts';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { toDeliveryView } from '#shared/app/webhooks/endpoint-view.ts';
import { redeliverOne } from '#shared/app/webhooks/redeliver.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.redeliverWebhookDelivery, async ({ params, caller }) => {
  const delivery = await redeliverOne(
    { webhooks: webhookStore, deliveries: webhookDeliveryStore },
    webhookDeliveryQueue,
    caller,
    params,
  );
  return { status: 202, body: toDeliveryView(delivery) };
});
