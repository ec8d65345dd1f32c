import { createHash } from 'node:crypto';
import type { Caller } from '#shared/domain/caller.ts';
import { maxRedeliveries, tooManyRedeliveries, webhookDeliveryInProgress } from '#shared/domain/webhooks.ts';
import type { MessageQueue } from '#shared/queue/port.ts';
import {
  attemptsInSequence,
  type Redelivery,
  type WebhookDelivery,
} from '#shared/store/entities/webhook-delivery.ts';
import type { WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
import type { WebhookStore } from '#shared/store/webhook-store.ts';
import type { DeliveryDependencies } from './deliver.ts';
import { queueAttempt, type RangeRedelivery, type RangeRedeliveryMessage } from './delivery-messages.ts';
import { ownDelivery, ownEnabledEndpoint } from './endpoints.ts';

type RedeliveryOutcome = 'queued' | 'in-progress' | 'limit' | 'redelivered-already';

/**
 * A pending delivery whose sequence has made no attempt this long after it started lost its queue
 * message (the request queueing it failed after recording it): it may be queued again. Sooner, its
 * message may still be on its way, and a second one could be handled at the same time, sending twice.
 */
const lostMessageAfterMs = 5 * 60_000;

const messageLost = (delivery: WebhookDelivery, now: Date) =>
  attemptsInSequence(delivery) === 0 &&
  now.getTime() - Date.parse(delivery.redeliveries.at(-1)?.at ?? delivery.createdAt) >= lostMessageAfterMs;

/**
 * Starts the delivery over: a new sequence of attempts on the schedule, recorded in its log. A
 * pending one is left to its sequence, unless its message was lost: then it is queued again.
 */
async function redeliver(
  deliveries: WebhookDeliveryStore,
  queue: MessageQueue,
  delivery: WebhookDelivery,
  asked: Omit<Redelivery, 'firstAttempt'>,
): Promise<{ outcome: RedeliveryOutcome; delivery: WebhookDelivery }> {
  if (delivery.status === 'pending') {
    if (!messageLost(delivery, new Date(asked.at))) return { outcome: 'in-progress', delivery };
    await queueAttempt(queue, delivery);
    return { outcome: 'queued', delivery };
  }
  if (asked.rangeRequest && delivery.redeliveries.some((made) => made.rangeRequest === asked.rangeRequest)) {
    return { outcome: 'redelivered-already', delivery };
  }
  if (delivery.redeliveries.length >= maxRedeliveries) return { outcome: 'limit', delivery };
  const redelivery: Redelivery = { ...asked, firstAttempt: delivery.attempts.length };
  // Another redelivery got there first: the delivery is under way again.
  if (!(await deliveries.redeliver(delivery, redelivery))) return { outcome: 'in-progress', delivery };
  const { nextAttemptAt: _over, ...rest } = delivery;
  const started: WebhookDelivery = {
    ...rest,
    status: 'pending',
    redeliveries: [...delivery.redeliveries, redelivery],
  };
  await queueAttempt(queue, started);
  return { outcome: 'queued', delivery: started };
}

/** Redelivers one of the caller's deliveries, whatever its status, unless it is being attempted. */
export async function redeliverOne(
  stores: { webhooks: WebhookStore; deliveries: WebhookDeliveryStore },
  queue: MessageQueue,
  caller: Caller,
  ids: { endpointId: string; deliveryId: string },
  now = new Date(),
): Promise<WebhookDelivery> {
  const endpoint = await ownEnabledEndpoint(stores.webhooks, caller, ids.endpointId);
  const delivery = await ownDelivery(stores.deliveries, endpoint, ids.deliveryId);
  const redelivered = await redeliver(stores.deliveries, queue, delivery, {
    at: now.toISOString(),
    by: caller.userId,
  });
  if (redelivered.outcome === 'in-progress') throw webhookDeliveryInProgress(delivery.id);
  if (redelivered.outcome === 'limit') throw tooManyRedeliveries(delivery.id);
  return redelivered.delivery;
}

/** Deliveries one range redelivery redelivers at most, the newest of the range first. */
const maxRangeRedeliveries = 10_000;
/** Deliveries read per message: each page's work stays well within the worker's time. */
const rangePageSize = 100;
/**
 * An endpoint's deliveries are created in the order of their ids (one feed, read in order), to
 * within the dispatcher's lag: reading newest first, the range ends at the first delivery created
 * this long before its start.
 */
const creationDisorderMs = 5 * 60_000;

/**
 * Accepts a range redelivery, worked off the request path by the delivery worker, a page a message.
 * Its id is the range's: the same range asked again, at once or later, redelivers nothing twice.
 */
export async function requestRangeRedelivery(
  webhooks: WebhookStore,
  queue: MessageQueue,
  caller: Caller,
  endpointId: string,
  range: { since: string; until: string; failedOnly: boolean },
): Promise<RangeRedelivery> {
  const endpoint = await ownEnabledEndpoint(webhooks, caller, endpointId);
  const since = new Date(range.since).toISOString();
  const until = new Date(range.until).toISOString();
  const id = createHash('sha256')
    .update(JSON.stringify([endpoint.owner, endpoint.id, since, until, range.failedOnly]))
    .digest('hex')
    .slice(0, 32);
  const request: RangeRedelivery = { id, by: caller.userId, since, until, failedOnly: range.failedOnly };
  const message: RangeRedeliveryMessage = {
    kind: 'redeliver-range',
    owner: endpoint.owner,
    endpointId: endpoint.id,
    request,
    redelivered: 0,
  };
  await queue.send(JSON.stringify(message));
  return request;
}

/**
 * Redelivers the deliveries of one page in the range, newest first, then queues the next page.
 * A page handled twice redelivers nothing twice: a redelivery names its request.
 */
export async function redeliverRangePage(
  message: RangeRedeliveryMessage,
  deps: Pick<DeliveryDependencies, 'webhooks' | 'deliveries' | 'queue'>,
  now = new Date(),
): Promise<{ redelivered: number; finished: boolean }> {
  const { request } = message;
  const endpoint = await deps.webhooks.get(message.owner, message.endpointId);
  if (endpoint?.status !== 'enabled') return { redelivered: message.redelivered, finished: true };
  const page = await deps.deliveries.list(endpoint.id, rangePageSize, message.cursor);
  const [since, until] = [Date.parse(request.since), Date.parse(request.until)];
  let redelivered = message.redelivered;
  let finished = page.nextCursor === undefined;
  for (const delivery of page.items) {
    const created = Date.parse(delivery.createdAt);
    if (created < since - creationDisorderMs || redelivered >= maxRangeRedeliveries) {
      finished = true;
      break;
    }
    if (created < since || created > until) continue;
    if (request.failedOnly && delivery.status !== 'failed') continue;
    const asked = { at: now.toISOString(), by: request.by, rangeRequest: request.id };
    const { outcome } = await redeliver(deps.deliveries, deps.queue, delivery, asked);
    if (outcome === 'queued') redelivered += 1;
  }
  if (!finished) await deps.queue.send(JSON.stringify({ ...message, cursor: page.nextCursor, redelivered }));
  return { redelivered, finished };
}
