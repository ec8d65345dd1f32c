import { webhookDeliveryQueue } from '#shared/app/composition/queues.ts';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { requestRangeRedelivery } from '#shared/app/webhooks/redeliver.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.redeliverWebhookRange, async ({ params, body, caller }) => {
  const { by: _by, ...request } = await requestRangeRedelivery(
    webhookStore,
    webhookDeliveryQueue,
    caller,
    params.endpointId,
    body,
  );
  return { status: 202, body: request };
});
