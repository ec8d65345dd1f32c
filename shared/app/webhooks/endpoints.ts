import { randomUUID } from 'node:crypto';
import type { Caller } from '#shared/domain/caller.ts';
import { forbiddenDestination, type WebhookEndpoint, webhookOwnerOf } from '#shared/domain/webhooks.ts';
import type { WebhookStore } from '#shared/store/webhook-store.ts';
import { checkDestination, type DestinationRules } from '#shared/webhooks/destination.ts';
import { newSigningSecret } from '#shared/webhooks/signature.ts';

export interface EndpointRequest {
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description?: string | undefined;
}

/**
 * Registers an endpoint for the caller's events (an admin's: the whole marketplace's) after checking
 * where it leads, and answers its signing secret, which is shown this once.
 */
export async function registerEndpoint(
  store: WebhookStore,
  rules: DestinationRules,
  caller: Caller,
  request: EndpointRequest,
  now = new Date(),
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const destination = await checkDestination(request.url, rules);
  if ('refused' in destination) throw forbiddenDestination(destination.refused);
  const secret = newSigningSecret();
  const endpoint: WebhookEndpoint = {
    id: randomUUID(),
    owner: webhookOwnerOf(caller),
    url: request.url,
    eventTypes: [...new Set(request.eventTypes)],
    ...(request.description ? { description: request.description } : {}),
    status: 'enabled',
    secrets: [{ secret, since: now.toISOString() }],
    createdAt: now.toISOString(),
  };
  await store.register(endpoint);
  return { endpoint, secret };
}
