import { lookup } from 'node:dns/promises';
import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { toEndpointView } from '#shared/app/webhooks/endpoint-view.ts';
import { registerEndpoint } from '#shared/app/webhooks/endpoints.ts';
import { webhookSettings } from '#shared/app/webhooks/webhook-settings.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

const resolve = async (host: string) => (await lookup(host, { all: true })).map(({ address }) => address);

export const handler = httpHandler(webhookRoutes.registerWebhookEndpoint, async ({ body, caller }) => {
  const { endpoint, secret } = await registerEndpoint(
    webhookStore,
    { allowedHosts: webhookSettings().allowedHosts, resolve },
    caller,
    body,
  );
  return { status: 201, body: { ...toEndpointView(endpoint), secret } };
});
