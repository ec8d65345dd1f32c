import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type WebhookTestEvent, webhookTestEventSchema } from '../../webhooks/test-event.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

export interface DeliveryAttempt {
  readonly at: string;
  /** The receiver's HTTP status; absent when no answer came (timeout, refused destination). */
  readonly statusCode?: number;
  readonly error?: string;
  readonly latencyMs: number;
}

/** An owner asked for the delivery to be made again: a new sequence of attempts on the schedule. */
export interface Redelivery {
  readonly at: string;
  /** The user who asked. */
  readonly by: string;
  /** Its first attempt's index in `attempts`. */
  readonly firstAttempt: number;
  /** The time-range redelivery that asked, if one did: it redelivers each delivery once. */
  readonly rangeRequest?: string;
}

/** One event's delivery to one endpoint, with every attempt. */
export interface WebhookDelivery {
  readonly endpointId: string;
  readonly owner: string;
  /**
   * Its key among the endpoint's deliveries, which orders them: the event's position, or for a
   * test event the log's last position when it was sent, then `-test-` and a unique suffix.
   */
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The event's position in the log; absent for a test event, which is not in the log. */
  readonly position?: string;
  /** The test event itself, as it is sent. */
  readonly testEvent?: WebhookTestEvent;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly attempts: readonly DeliveryAttempt[];
  readonly redeliveries: readonly Redelivery[];
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
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    position: z.string().optional(),
    testEvent: webhookTestEventSchema.optional(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(
      z.object({
        at: z.string(),
        statusCode: z.number().int().optional(),
        error: z.string().optional(),
        latencyMs: z.number(),
      }),
    ),
    // Absent until the first redelivery: conditions on it need no backfill of older items.
    redeliveries: z
      .array(
        z.object({
          at: z.string(),
          by: z.string(),
          firstAttempt: z.number().int(),
          rangeRequest: z.string().optional(),
        }),
      )
      .default([]),
    nextAttemptAt: z.string().optional(),
    createdAt: z.string(),
    expiresAt: z.number().int(),
  }),
) satisfies z.ZodType<WebhookDelivery>;

export const webhookDeliveryEntity = defineEntity<WebhookDelivery>({
  name: entities.webhookDelivery,
  version: 2,
  schema: deliverySchema,
  keys: [
    { PK: 'WEBHOOK#<endpointId>', SK: 'DELIVERY#<position, 12 digits>' },
    { PK: 'WEBHOOK#<endpointId>', SK: 'DELIVERY#<position, 12 digits>-test-<sentAt ms><random>' },
  ],
  // Version 1 had event deliveries only, keyed by the event's position.
  upgrades: { 1: (attributes) => ({ ...attributes, id: attributes.position }) },
});

export const webhookDeliveryPrefix = 'DELIVERY#';

export const webhookDeliveryKey = (endpointId: string, deliveryId?: string) => ({
  PK: `WEBHOOK#${endpointId}`,
  ...(deliveryId === undefined ? {} : { SK: `${webhookDeliveryPrefix}${deliveryId}` }),
});

/** A test delivery's id: after the log's last position, so that it sorts among the endpoint's deliveries as sent. */
export const testDeliveryId = (lastPosition: string, now: Date) =>
  `${lastPosition}-test-${now.getTime()}${randomBytes(2).toString('hex')}`;

/** An event delivery's id (its position) or a test delivery's. */
export const deliveryIdPattern = /^\d{12}(-test-\d{13}[0-9a-f]{4})?$/;

export const deliveryRetentionSeconds = 30 * 24 * 60 * 60;

/** How many attempts the current sequence has made: since the last redelivery, or since the start. */
export const attemptsInSequence = (delivery: WebhookDelivery) =>
  delivery.attempts.length - (delivery.redeliveries.at(-1)?.firstAttempt ?? 0);
