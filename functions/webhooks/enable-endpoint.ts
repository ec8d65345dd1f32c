import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { toEndpointView } from '#shared/app/webhooks/endpoint-view.ts';
import { enableEndpoint } from '#shared/app/webhooks/endpoints.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.enableWebhookEndpoint, async ({ params, caller }) => ({
  status: 200,
  body: toEndpointView(await enableEndpoint(webhookStore, caller, params.endpointId)),
}));
