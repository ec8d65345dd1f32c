import { acknowledged, nextAttemptDelay, signingSecrets } from '#shared/domain/webhooks.ts';
import { count, counters } from '#shared/observability/metrics.ts';
import { type MessageQueue, maxDelaySeconds } from '#shared/queue/port.ts';
import {
  attemptsInSequence,
  type DeliveryAttempt,
  type WebhookDelivery,
} from '#shared/store/entities/webhook-delivery.ts';
import type { EventLogStore } from '#shared/store/event-log-store.ts';
import type { WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
import type { WebhookStore } from '#shared/store/webhook-store.ts';
import { checkDestination, type DestinationRules } from '#shared/webhooks/destination.ts';
import type { DeliveryResponse } from '#shared/webhooks/http-delivery.ts';
import { deliveryHeaders } from '#shared/webhooks/signature.ts';
import type { AttemptMessage } from './delivery-messages.ts';
import { noteEndpointHealth } from './endpoint-health.ts';
import type { WebhookSettings } from './webhook-settings.ts';

export interface DeliveryDependencies {
  readonly webhooks: WebhookStore;
  readonly deliveries: WebhookDeliveryStore;
  readonly eventLog: EventLogStore;
  readonly queue: MessageQueue;
  readonly settings: WebhookSettings;
  readonly resolve: DestinationRules['resolve'];
  readonly post: (
    url: string,
    address: string,
    headers: Readonly<Record<string, string>>,
    body: string,
  ) => Promise<DeliveryResponse>;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** The message back on the queue, to be handled no sooner than `at`, in hops of at most 15 minutes. */
async function requeue(queue: MessageQueue, message: AttemptMessage, at: Date, now: Date) {
  const wait = Math.min(seconds(at.getTime() - now.getTime()), maxDelaySeconds);
  await queue.send(JSON.stringify({ ...message, notBefore: at.toISOString() }), wait);
}

/** What the attempt leads to: done, given up, or another attempt after the schedule's wait. */
function outcomeOf(
  delivery: WebhookDelivery,
  response: DeliveryResponse,
  schedule: readonly number[],
  now: Date,
) {
  if (acknowledged(response.statusCode)) return { status: 'succeeded' as const };
  if (response.statusCode === 410) return { status: 'failed' as const };
  const delay = nextAttemptDelay(attemptsInSequence(delivery) + 1, schedule, response.retryAfterSeconds);
  if (delay === undefined) return { status: 'failed' as const };
  return { status: 'pending' as const, nextAttemptAt: new Date(now.getTime() + delay * 1000) };
}

/**
 * Makes one attempt of a delivery that is due: signs the event with every unexpired secret of the
 * endpoint, checks the destination again, POSTs, records the attempt, tells the endpoint's health,
 * then queues the next attempt as the schedule says.
 */
export async function attemptDelivery(message: AttemptMessage, deps: DeliveryDependencies, now = new Date()) {
  if (message.notBefore && Date.parse(message.notBefore) > now.getTime()) {
    await requeue(deps.queue, message, new Date(message.notBefore), now);
    return;
  }
  const delivery = await deps.deliveries.get(message.endpointId, message.deliveryId);
  // A message for an attempt made already (a duplicate) is dropped.
  if (delivery?.status !== 'pending' || delivery.attempts.length !== message.attempt) return;
  const endpoint = await deps.webhooks.get(message.owner, message.endpointId);
  const event =
    delivery.testEvent ?? (delivery.position ? await deps.eventLog.at(delivery.position) : undefined);
  let response: DeliveryResponse;
  if (endpoint?.status !== 'enabled' || !event) {
    response = { error: endpoint ? 'the endpoint is disabled' : 'the endpoint was deleted', latencyMs: 0 };
  } else {
    const destination = await checkDestination(endpoint.url, { ...deps.settings, resolve: deps.resolve });
    const body = JSON.stringify(event);
    const headers = deliveryHeaders(
      signingSecrets(endpoint, now),
      event.id,
      Math.floor(now.getTime() / 1000),
      body,
    );
    response =
      'refused' in destination
        ? { error: destination.refused, latencyMs: 0 }
        : await deps.post(endpoint.url, destination.addresses[0] as string, headers, body);
  }
  const attempt: DeliveryAttempt = {
    at: now.toISOString(),
    ...(response.statusCode === undefined ? {} : { statusCode: response.statusCode }),
    ...(response.error ? { error: response.error } : {}),
    latencyMs: response.latencyMs,
  };
  const enabled = endpoint?.status === 'enabled' ? endpoint : undefined;
  const outcome = outcomeOf(delivery, response, enabled ? deps.settings.retryScheduleSeconds : [], now);
  const recorded = await deps.deliveries.recordAttempt(delivery, attempt, {
    status: outcome.status,
    ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt.toISOString() } : {}),
  });
  if (!recorded) return;
  // The attempt is recorded once: a copy of its message finds it recorded and counts nothing.
  if (outcome.status !== 'succeeded') count(counters.webhookDeliveryFailures);
  if (enabled) {
    const { disableAfterFailingSeconds } = deps.settings;
    await noteEndpointHealth(deps.webhooks, enabled, response.statusCode, disableAfterFailingSeconds, now);
  }
  if (outcome.nextAttemptAt) {
    await requeue(deps.queue, { ...message, attempt: message.attempt + 1 }, outcome.nextAttemptAt, now);
  }
}
