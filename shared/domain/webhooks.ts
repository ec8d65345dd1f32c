import type { Caller } from './caller.ts';
import { DomainError } from './errors.ts';

export interface WebhookSecret {
  readonly secret: string;
  readonly since: string;
  /** When a rotation's grace period ends; absent on the current secret. */
  readonly expiresAt?: string;
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
  readonly disabledAt?: string;
  /** Newest first: the current secret, then those a rotation keeps valid for its grace period. */
  readonly secrets: readonly WebhookSecret[];
  /** When its attempts began to fail, none having succeeded since; absent while it succeeds. */
  readonly failingSince?: string;
  readonly createdAt: string;
}

/** Endpoints per owner at most: every event is checked against each of its owner's. */
export const maxEndpointsPerOwner = 10;

/** Admins register the marketplace's endpoints; anyone else registers endpoints for their own events. */
export const webhookOwnerOf = (caller: Caller): string =>
  caller.roles.includes('admin') ? 'platform' : caller.userId;

export const receivesEvent = (endpoint: WebhookEndpoint, type: string) =>
  endpoint.status === 'enabled' && (endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type));

/** How long a rotated-out secret still signs, unless the rotation says otherwise: a day, as Svix. */
export const defaultRotationGraceSeconds = 86_400;
export const maxRotationGraceSeconds = 7 * 86_400;
/** The current secret and at most two in their grace period: each is one more signature per delivery. */
export const maxSecretsHeld = 3;

const expired = (secret: WebhookSecret, now: Date) =>
  secret.expiresAt !== undefined && Date.parse(secret.expiresAt) <= now.getTime();

/** The secrets a delivery is signed with now: the expired ones left out. */
export const signingSecrets = (endpoint: WebhookEndpoint, now: Date): string[] =>
  endpoint.secrets.filter((secret) => !expired(secret, now)).map(({ secret }) => secret);

/**
 * The secrets after a rotation to `secret`: the new one first, then the previous ones, each valid
 * until the grace period ends (or sooner, if an earlier rotation said so), expired ones dropped.
 */
export function rotatedSecrets(
  secrets: readonly WebhookSecret[],
  secret: string,
  graceSeconds: number,
  now: Date,
): WebhookSecret[] {
  const graceEnds = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const previous = secrets.map((held) => ({
    ...held,
    expiresAt:
      held.expiresAt && Date.parse(held.expiresAt) < Date.parse(graceEnds) ? held.expiresAt : graceEnds,
  }));
  return [{ secret, since: now.toISOString() }, ...previous.filter((held) => !expired(held, now))].slice(
    0,
    maxSecretsHeld,
  );
}

/** Whether a receiver's answer acknowledged the delivery: any 2xx. */
export const acknowledged = (statusCode: number | undefined) =>
  statusCode !== undefined && statusCode >= 200 && statusCode < 300;

/** Five days of failed attempts without one success disable an endpoint, as Svix does. */
export const defaultDisableAfterFailingSeconds = 5 * 86_400;

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled. */
export const failingTooLong = (failingSince: string, now: Date, limitSeconds: number) =>
  now.getTime() - Date.parse(failingSince) >= limitSeconds * 1000;

const durationOf = (seconds: number) =>
  seconds % 86_400 === 0
    ? `${seconds / 86_400} day(s)`
    : seconds % 3600 === 0
      ? `${seconds / 3600} hour(s)`
      : `${seconds} second(s)`;

export const disabledReasons = {
  gone: 'The receiver answered 410 Gone.',
  failing: (failingSince: string, limitSeconds: number) =>
    `Every attempt failed for ${durationOf(limitSeconds)} or more, since ${failingSince}.`,
};

/** Redeliveries of one delivery at most: each adds its attempts to the delivery's log. */
export const maxRedeliveries = 10;

export const webhookEndpointNotFound = (endpointId: string) =>
  new DomainError(
    'not-found',
    'webhook_endpoint_not_found',
    `Webhook endpoint ${endpointId} does not exist.`,
  );

export const webhookEndpointDisabled = (endpointId: string) =>
  new DomainError(
    'conflict',
    'webhook_endpoint_disabled',
    `Webhook endpoint ${endpointId} is disabled: enable it first.`,
  );

export const webhookDeliveryNotFound = (deliveryId: string) =>
  new DomainError('not-found', 'webhook_delivery_not_found', `Delivery ${deliveryId} does not exist.`);

export const webhookDeliveryInProgress = (deliveryId: string) =>
  new DomainError(
    'conflict',
    'webhook_delivery_in_progress',
    `Delivery ${deliveryId} is being attempted: redeliver it once it has succeeded or failed.`,
  );

export const tooManyRedeliveries = (deliveryId: string) =>
  new DomainError(
    'conflict',
    'webhook_redelivery_limit',
    `Delivery ${deliveryId} was redelivered ${maxRedeliveries} times already.`,
  );

export const concurrentSecretRotation = (endpointId: string) =>
  new DomainError(
    'conflict',
    'webhook_secret_rotation_conflict',
    `The secret of webhook endpoint ${endpointId} was rotated by another request meanwhile; rotate again for a secret of your own.`,
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
