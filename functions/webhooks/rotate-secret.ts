import { webhookStore } from '#shared/app/composition/stores/webhook-store.ts';
import { rotateSecret } from '#shared/app/webhooks/endpoints.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { webhookRoutes } from '../routes/webhooks.ts';

export const handler = httpHandler(webhookRoutes.rotateWebhookSecret, async ({ params, body, caller }) => ({
  status: 200,
  body: await rotateSecret(webhookStore, caller, params.endpointId, body.gracePeriodSeconds),
}));
