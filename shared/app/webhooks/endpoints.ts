import { randomUUID } from 'node:crypto';
import type { Caller } from '#shared/domain/caller.ts';
import {
  forbiddenDestination,
  rotatedSecrets,
  type WebhookEndpoint,
  webhookDeliveryNotFound,
  webhookEndpointDisabled,
  webhookEndpointNotFound,
  webhookOwnerOf,
} from '#shared/domain/webhooks.ts';
import type { WebhookDelivery } from '#shared/store/entities/webhook-delivery.ts';
import type { WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
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

/** The caller's endpoint: looked up under their owner key, so another owner's is not found either. */
export async function ownEndpoint(store: WebhookStore, caller: Caller, endpointId: string) {
  const endpoint = await store.get(webhookOwnerOf(caller), endpointId);
  if (!endpoint) throw webhookEndpointNotFound(endpointId);
  return endpoint;
}

/** The caller's endpoint, which must be enabled to be sent anything. */
export async function ownEnabledEndpoint(store: WebhookStore, caller: Caller, endpointId: string) {
  const endpoint = await ownEndpoint(store, caller, endpointId);
  if (endpoint.status !== 'enabled') throw webhookEndpointDisabled(endpointId);
  return endpoint;
}

/** A delivery of an endpoint found already under its owner. */
export async function ownDelivery(
  deliveries: WebhookDeliveryStore,
  endpoint: WebhookEndpoint,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const delivery = await deliveries.get(endpoint.id, deliveryId);
  if (!delivery) throw webhookDeliveryNotFound(deliveryId);
  return delivery;
}

/**
 * Gives the endpoint a new signing secret, answered this once; the ones it had keep signing for the
 * grace period, so a receiver can switch over without missing a delivery.
 */
export async function rotateSecret(
  store: WebhookStore,
  caller: Caller,
  endpointId: string,
  graceSeconds: number,
  now = new Date(),
) {
  const endpoint = await ownEndpoint(store, caller, endpointId);
  const secret = newSigningSecret();
  const secrets = rotatedSecrets(endpoint.secrets, secret, graceSeconds, now);
  await store.replaceSecrets(endpoint, secrets);
  return { secret, previousSecrets: secrets.slice(1).map(({ since, expiresAt }) => ({ since, expiresAt })) };
}

/** Turns a disabled endpoint on again, its failures forgotten; an enabled one stays as it is. */
export async function enableEndpoint(store: WebhookStore, caller: Caller, endpointId: string) {
  const endpoint = await ownEndpoint(store, caller, endpointId);
  if (endpoint.status === 'enabled') return endpoint;
  await store.enable(endpoint.owner, endpoint.id);
  return ownEndpoint(store, caller, endpointId);
}
