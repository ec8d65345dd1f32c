import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { webhookOwnerOf } from '#shared/domain/webhooks.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.deleteWebhookEndpoint, async ({ params, caller }) => {
  await webhookStore.remove(webhookOwnerOf(caller), params.endpointId);
  return { status: 204 };
});
