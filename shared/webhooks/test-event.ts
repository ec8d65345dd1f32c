import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Caller } from '../domain/caller.ts';
import type { WebhookEndpoint } from '../domain/webhooks.ts';
import { component } from '../http/component.ts';

const testEventType = 'webhook.test';

/**
 * What an endpoint's owner sends to check their receiver: shaped as the log's events, delivered and
 * signed as they are, but never in the log, so no other endpoint and no feed sees it.
 */
export const webhookTestEventSchema = component('WebhookTestEvent', () =>
  z.object({
    id: z.string().meta({ description: 'evt_test_…: the webhook-id header, as an event id is' }),
    type: z.literal(testEventType),
    occurredAt: z.iso.datetime(),
    actor: z.object({ kind: z.enum(['user', 'admin']), id: z.string() }).meta({ description: 'Who sent it' }),
    subject: z.object({ kind: z.literal('webhook_endpoint'), id: z.string() }),
    data: z.object({ endpointId: z.string(), url: z.string(), message: z.string() }),
  }),
);

export type WebhookTestEvent = z.output<typeof webhookTestEventSchema>;

export const webhookTestEvent = (endpoint: WebhookEndpoint, caller: Caller, now: Date): WebhookTestEvent => ({
  id: `evt_test_${randomUUID().replaceAll('-', '')}`,
  type: testEventType,
  occurredAt: now.toISOString(),
  actor: { kind: endpoint.owner === 'platform' ? 'admin' : 'user', id: caller.userId },
  subject: { kind: 'webhook_endpoint', id: endpoint.id },
  data: {
    endpointId: endpoint.id,
    url: endpoint.url,
    message: 'A test event, sent on request: it records nothing and needs no action.',
  },
});
