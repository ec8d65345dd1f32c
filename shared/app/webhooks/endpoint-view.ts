import type { WebhookEndpoint } from '#shared/domain/webhooks.ts';

/** An endpoint as its owner reads it: never its secrets. */
export const toEndpointView = ({ owner, secrets: _secrets, ...endpoint }: WebhookEndpoint) => ({
  ...endpoint,
  scope: owner === 'platform' ? ('marketplace' as const) : ('own' as const),
});
