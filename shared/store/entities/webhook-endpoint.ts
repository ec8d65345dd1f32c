import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { WebhookEndpoint } from '../../domain/webhooks.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const endpointSchema = deferred(() =>
  z.object({
    id: z.string(),
    owner: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().optional(),
    status: z.enum(['enabled', 'disabled']),
    disabledReason: z.string().optional(),
    disabledAt: z.string().optional(),
    secrets: z.array(z.object({ secret: z.string(), since: z.string(), expiresAt: z.string().optional() })),
    failingSince: z.string().optional(),
    createdAt: z.string(),
  }),
) satisfies z.ZodType<WebhookEndpoint>;

/** A registered webhook endpoint, under its owner: `platform` or a user. */
export const webhookEndpointEntity = defineEntity<WebhookEndpoint>({
  name: entities.webhookEndpoint,
  version: 1,
  schema: endpointSchema,
  keys: [{ PK: 'WEBHOOKS#<owner>', SK: 'ENDPOINT#<endpointId>' }],
});

export const webhookEndpointPrefix = 'ENDPOINT#';

export const webhookEndpointKey = (owner: string, endpointId?: string) => ({
  PK: `WEBHOOKS#${owner}`,
  ...(endpointId === undefined ? {} : { SK: `${webhookEndpointPrefix}${endpointId}` }),
});

const countSchema = deferred(() => z.object({ count: z.number().int() }));

/** How many endpoints the owner has: registering is conditioned on it. */
export const webhookEndpointCountEntity = defineEntity<{ count: number }>({
  name: entities.webhookEndpointCount,
  version: 1,
  schema: countSchema,
  keys: [{ PK: 'WEBHOOKS#<owner>', SK: 'COUNT' }],
});

export const webhookEndpointCountKey = (owner: string) => ({ PK: `WEBHOOKS#${owner}`, SK: 'COUNT' });
