import type { Caller } from './caller.ts';
import { DomainError } from './errors.ts';

export interface WebhookSecret {
  readonly secret: string;
  readonly since: string;
}

export interface WebhookEndpoint {
  readonly id: string;
  /** `platform`, or the user whose own events it receives. */
  readonly owner: string;
  readonly url: string;
  /** The event types it receives; empty for every type. */
  readonly eventTypes: readonly string[];
  readonly description?: string;
  readonly status: 'enabled' | 'disabled';
  readonly disabledReason?: string;
  readonly secrets: readonly WebhookSecret[];
  readonly createdAt: string;
}

/** Endpoints per owner at most: every event is checked against each of its owner's. */
export const maxEndpointsPerOwner = 10;

/** Admins register the marketplace's endpoints; anyone else registers endpoints for their own events. */
export const webhookOwnerOf = (caller: Caller): string =>
  caller.roles.includes('admin') ? 'platform' : caller.userId;

export const receivesEvent = (endpoint: WebhookEndpoint, type: string) =>
  endpoint.status === 'enabled' && (endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type));

export const webhookEndpointNotFound = (endpointId: string) =>
  new DomainError(
    'not-found',
    'webhook_endpoint_not_found',
    `Webhook endpoint ${endpointId} does not exist.`,
  );

export const tooManyEndpoints = () =>
  new DomainError(
    'conflict',
    'too_many_webhook_endpoints',
    `At most ${maxEndpointsPerOwner} webhook endpoints may be registered; delete one first.`,
  );

export const forbiddenDestination = (reason: string) =>
  new DomainError('unprocessable', 'webhook_destination_refused', reason);

/** Standard Webhooks' schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later. */
export const defaultRetrySchedule = [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;

/**
 * Seconds to wait before the next attempt after `attemptsMade` failed ones, or undefined when the
 * schedule is spent. The wait is jittered by up to a tenth either way, and never shorter than the
 * receiver's Retry-After.
 */
export function nextAttemptDelay(
  attemptsMade: number,
  schedule: readonly number[],
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const planned = schedule[attemptsMade];
  if (planned === undefined) return undefined;
  const jittered = Math.round(planned * (0.9 + random() * 0.2));
  return Math.max(jittered, retryAfterSeconds ?? 0);
}
