import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { eventTypeSchema } from '#shared/events/catalog.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';

export const endpointParams = deferred(() => z.strictObject({ endpointId: z.uuid() }));

export const endpointBody = component('WebhookEndpointInput', () =>
  z.strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .meta({
        description: 'https only; it must resolve to public addresses (checked again at every delivery)',
      }),
    eventTypes: z
      .array(eventTypeSchema)
      .max(20)
      .default([])
      .meta({ description: 'The event types it receives; empty or absent for every type' }),
    description: z.string().trim().min(1).max(200).optional(),
  }),
);

const endpointShape = () => ({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().optional(),
  status: z.enum(['enabled', 'disabled']),
  disabledReason: z.string().optional(),
  createdAt: z.iso.datetime(),
});

export const endpointView = component('WebhookEndpoint', () =>
  z.object({
    ...endpointShape(),
    scope: z.enum(['marketplace', 'own']).meta({
      description: "marketplace: every event (an admin's endpoint); own: the events of the seller's own feed",
    }),
  }),
);

export const registeredEndpointView = component('RegisteredWebhookEndpoint', () =>
  z.object({
    ...endpointShape(),
    scope: z.enum(['marketplace', 'own']),
    secret: z.string().meta({ description: 'whsec_…: verify signatures with it. Shown this once.' }),
  }),
);

export const endpointList = component('WebhookEndpointList', () =>
  z.object({ items: z.array(endpointView) }),
);

export const deliveryView = component('WebhookDelivery', () =>
  z.object({
    eventId: z.string(),
    eventType: z.string(),
    position: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(
      z.object({
        at: z.iso.datetime(),
        statusCode: z.number().int().optional(),
        error: z.string().optional(),
        latencyMs: z.number(),
      }),
    ),
    nextAttemptAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
  }),
);

export const deliveryPage = pageOf(deliveryView, 'WebhookDeliveryPage');
export const deliveryPageQuery = deferred(() => pageQueryOf('webhookDelivery'));
