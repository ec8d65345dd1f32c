import type { MessageQueue } from '#shared/queue/port.ts';
import type { WebhookDelivery } from '#shared/store/entities/webhook-delivery.ts';

/** An attempt due: what the queue carries to the worker. */
export interface AttemptMessage {
  readonly kind: 'attempt';
  readonly owner: string;
  readonly endpointId: string;
  readonly deliveryId: string;
  /** The index the attempt takes among the delivery's attempts: a message for one made already is dropped. */
  readonly attempt: number;
  /** Not to be attempted before then: a retry further off than the queue can delay a message. */
  readonly notBefore?: string;
}

/** An owner's request to redeliver the deliveries an endpoint was given in a time range. */
export interface RangeRedelivery {
  readonly id: string;
  readonly by: string;
  readonly since: string;
  readonly until: string;
  readonly failedOnly: boolean;
}

/** One page of a range redelivery, worked off the request path: each page queues the next. */
export interface RangeRedeliveryMessage {
  readonly kind: 'redeliver-range';
  readonly owner: string;
  readonly endpointId: string;
  readonly request: RangeRedelivery;
  /** Where the page starts among the endpoint's deliveries, newest first; absent for the first. */
  readonly cursor?: string;
  /** How many deliveries the pages before redelivered. */
  readonly redelivered: number;
}

export type DeliveryMessage = AttemptMessage | RangeRedeliveryMessage;

/** The message for the delivery's next attempt, not before it is due. */
const attemptMessage = (
  delivery: Pick<WebhookDelivery, 'owner' | 'endpointId' | 'id' | 'attempts' | 'nextAttemptAt'>,
): AttemptMessage => ({
  kind: 'attempt',
  owner: delivery.owner,
  endpointId: delivery.endpointId,
  deliveryId: delivery.id,
  attempt: delivery.attempts.length,
  ...(delivery.nextAttemptAt ? { notBefore: delivery.nextAttemptAt } : {}),
});

export const queueAttempt = (queue: MessageQueue, delivery: Parameters<typeof attemptMessage>[0]) =>
  queue.send(JSON.stringify(attemptMessage(delivery)));

/**
 * A message queued before redeliveries and range messages existed: it named the delivery by its
 * event's position and carried no kind. Messages of a deployment before them may still be queued.
 */
interface PositionAttemptMessage {
  readonly owner: string;
  readonly endpointId: string;
  readonly position: string;
  readonly notBefore?: string;
}

/**
 * The message a queue record carries, in its current form: a message of the earlier form becomes
 * the attempt its delivery is at now, read with `attemptsMade`.
 */
export async function deliveryMessageOf(
  body: string,
  attemptsMade: (endpointId: string, deliveryId: string) => Promise<number>,
): Promise<DeliveryMessage> {
  const message = JSON.parse(body) as DeliveryMessage | PositionAttemptMessage;
  if ('kind' in message) return message;
  const { owner, endpointId, position, notBefore } = message;
  return {
    kind: 'attempt',
    owner,
    endpointId,
    deliveryId: position,
    attempt: await attemptsMade(endpointId, position),
    ...(notBefore ? { notBefore } : {}),
  };
}
