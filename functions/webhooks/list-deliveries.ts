import { webhookDeliveryStore } from '#shared/app/composition/stores/webhook-delivery-store.ts';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { toDeliveryView } from '#shared/app/webhooks/endpoint-view.ts';
import { ownEndpoint } from '#shared/app/webhooks/endpoints.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.listWebhookDeliveries, async ({ params, query, caller }) => {
  const endpoint = await ownEndpoint(webhookStore, caller, params.endpointId);
  const page = await webhookDeliveryStore.list(endpoint.id, query.limit, query.cursor);
  return { status: 200, body: { ...page, items: page.items.map(toDeliveryView) } };
});
