import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { toDeliveryView } from '#shared/app/webhooks/endpoint-view.ts';
import { webhookEndpointNotFound, webhookOwnerOf } from '#shared/domain/webhooks.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.listWebhookDeliveries, async ({ params, query, caller }) => {
  const endpoint = await webhookStore.get(webhookOwnerOf(caller), params.endpointId);
  if (!endpoint) throw webhookEndpointNotFound(params.endpointId);
  const page = await webhookStore.deliveries(endpoint.id, query.limit, query.cursor);
  return { status: 200, body: { ...page, items: page.items.map(toDeliveryView) } };
});
