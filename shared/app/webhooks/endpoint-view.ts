import type { WebhookEndpoint } from '#shared/domain/webhooks.ts';
import type { WebhookDelivery } from '#shared/store/entities/webhook-delivery.ts';

/** An endpoint as its owner reads it: never its secrets. */
export const toEndpointView = ({ owner, secrets: _secrets, ...endpoint }: WebhookEndpoint) => ({
  ...endpoint,
  scope: owner === 'platform' ? ('marketplace' as const) : ('own' as const),
});

/** A delivery as the endpoint's owner reads it. */
export const toDeliveryView = ({
  endpointId: _endpoint,
  owner: _owner,
  expiresAt: _expiry,
  testEvent: _sent,
  ...delivery
}: WebhookDelivery) => delivery;
