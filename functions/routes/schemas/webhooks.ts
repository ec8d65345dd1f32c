import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { defaultRotationGraceSeconds, maxRotationGraceSeconds } from '#shared/domain/webhooks.ts';
import { eventTypeSchema } from '#shared/events/catalog.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { deliveryIdPattern, deliveryRetentionSeconds } from '#shared/store/entities/webhook-delivery.ts';
import { webhookTestEventSchema } from '#shared/webhooks/test-event.ts';

export const endpointParams = deferred(() => z.strictObject({ endpointId: z.uuid() }));

export const deliveryParams = deferred(() =>
  z.strictObject({ endpointId: z.uuid(), deliveryId: z.string().regex(deliveryIdPattern) }),
);

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
  disabledAt: z.iso.datetime().optional(),
  failingSince: z.iso.datetime().optional().meta({
    description:
      'When its attempts began to fail, none succeeding since: it is disabled once this is long enough ago',
  }),
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
    id: z.string().meta({ description: "The event's position; a test event's: `<position>-test-<…>`" }),
    eventId: z.string(),
    eventType: z.string(),
    position: z
      .string()
      .optional()
      .meta({ description: "The event's position in the log; none for a test event" }),
    status: z
      .enum(['pending', 'succeeded', 'failed'])
      .meta({ description: 'Of the latest sequence of attempts' }),
    attempts: z.array(
      z.object({
        at: z.iso.datetime(),
        statusCode: z.number().int().optional(),
        error: z.string().optional(),
        latencyMs: z.number(),
      }),
    ),
    redeliveries: z.array(
      z
        .object({
          at: z.iso.datetime(),
          by: z.string(),
          firstAttempt: z
            .number()
            .int()
            .meta({ description: 'The index in `attempts` of its first attempt' }),
          rangeRequest: z.string().optional(),
        })
        .meta({ description: 'A new sequence of attempts someone asked for' }),
    ),
    nextAttemptAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
  }),
);

export const deliveryPage = pageOf(deliveryView, 'WebhookDeliveryPage');
export const deliveryPageQuery = deferred(() => pageQueryOf('webhookDelivery'));

export const rotationBody = component('WebhookSecretRotation', () =>
  z
    .strictObject({
      gracePeriodSeconds: z
        .number()
        .int()
        .min(0)
        .max(maxRotationGraceSeconds)
        .default(defaultRotationGraceSeconds)
        .meta({
          description: 'How long the secrets held until now keep signing deliveries; 0 retires them at once',
        }),
    })
    .default({ gracePeriodSeconds: defaultRotationGraceSeconds }),
);

export const rotatedSecretView = component('RotatedWebhookSecret', () =>
  z.object({
    secret: z.string().meta({ description: 'The new whsec_… secret. Shown this once.' }),
    previousSecrets: z.array(
      z.object({ since: z.iso.datetime(), expiresAt: z.iso.datetime() }).meta({
        description: 'A secret held before, which signs deliveries too until it expires',
      }),
    ),
  }),
);

export const testEventSent = component('WebhookTestEventSent', () =>
  z.object({
    deliveryId: z.string().meta({ description: "Its delivery, in the endpoint's deliveries" }),
    event: webhookTestEventSchema,
  }),
);

const retentionMs = deliveryRetentionSeconds * 1000;

export const rangeRedeliveryBody = component('WebhookRangeRedeliveryInput', () =>
  z
    .strictObject({
      since: z.iso.datetime().meta({ description: 'Deliveries created at or after this time' }),
      until: z.iso.datetime().meta({ description: 'and at or before this one' }),
      failedOnly: z.boolean().default(false).meta({ description: 'Only the deliveries that failed' }),
    })
    .refine(({ since, until }) => Date.parse(since) < Date.parse(until), {
      path: ['until'],
      message: 'must be after since',
    })
    .refine(({ since, until }) => Date.parse(until) - Date.parse(since) <= retentionMs, {
      path: ['since'],
      message: 'must be at most 30 days before until: deliveries are kept 30 days',
    }),
);

export const rangeRedeliveryView = component('WebhookRangeRedelivery', () =>
  z.object({
    id: z.string().meta({ description: "The range's: asked again, the same range redelivers nothing twice" }),
    since: z.iso.datetime(),
    until: z.iso.datetime(),
    failedOnly: z.boolean(),
  }),
);
