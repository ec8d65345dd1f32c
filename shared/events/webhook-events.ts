import type { WebhookEndpoint } from '../domain/webhooks.ts';
import type { EventDraft } from './catalog.ts';

/**
 * A webhook endpoint turned off by the platform (its receiver answered 410 Gone, or every attempt
 * failed for days): its owner is told, in their own feed, or the admins' for the marketplace's.
 */
export function eventsOfWebhookEndpointChange(
  before: WebhookEndpoint | undefined,
  after: WebhookEndpoint,
  at: string,
): EventDraft[] {
  if (after.status !== 'disabled' || before?.status !== 'enabled') return [];
  return [
    {
      type: 'webhook_endpoint.disabled',
      occurredAt: after.disabledAt ?? at,
      actor: { kind: 'system', name: 'webhooks' },
      subject: { kind: 'webhook_endpoint', id: after.id },
      data: {
        endpointId: after.id,
        owner: after.owner,
        url: after.url,
        reason: after.disabledReason ?? 'Disabled.',
      },
      audience: after.owner === 'platform' ? [] : [after.owner],
    },
  ];
}
