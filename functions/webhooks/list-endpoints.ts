import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { toEndpointView } from '#shared/app/webhooks/endpoint-view.ts';
import { webhookOwnerOf } from '#shared/domain/webhooks.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.listWebhookEndpoints, async ({ caller }) => ({
  status: 200,
  body: { items: (await webhookStore.list(webhookOwnerOf(caller))).map(toEndpointView) },
}));
