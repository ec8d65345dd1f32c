import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

export interface DeliveryAttempt {
  readonly at: string;
  /** The receiver's HTTP status; absent when no answer came (timeout, refused destination). */
  readonly statusCode?: number;
  readonly error?: string;
  readonly latencyMs: number;
}

/** One event's delivery to one endpoint, with every attempt. */
export interface WebhookDelivery {
  readonly endpointId: string;
  readonly owner: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly position: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly attempts: readonly DeliveryAttempt[];
  /** When the next attempt is due, while pending. */
  readonly nextAttemptAt?: string;
  readonly createdAt: string;
  /** Kept 30 days (TTL). */
  readonly expiresAt: number;
}

const deliverySchema = deferred(() =>
  z.object({
    endpointId: z.string(),
    owner: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    position: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(
      z.object({
        at: z.string(),
        statusCode: z.number().int().optional(),
        error: z.string().optional(),
        latencyMs: z.number(),
      }),
    ),
    nextAttemptAt: z.string().optional(),
    createdAt: z.string(),
    expiresAt: z.number().int(),
  }),
) satisfies z.ZodType<WebhookDelivery>;

export const webhookDeliveryEntity = defineEntity<WebhookDelivery>({
  name: entities.webhookDelivery,
  version: 1,
  schema: deliverySchema,
  keys: [{ PK: 'WEBHOOK#<endpointId>', SK: 'DELIVERY#<position, 12 digits>' }],
});

export const webhookDeliveryPrefix = 'DELIVERY#';

export const webhookDeliveryKey = (endpointId: string, position?: string) => ({
  PK: `WEBHOOK#${endpointId}`,
  ...(position === undefined ? {} : { SK: `${webhookDeliveryPrefix}${position}` }),
});

export const deliveryRetentionSeconds = 30 * 24 * 60 * 60;
