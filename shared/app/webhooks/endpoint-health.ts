import {
  acknowledged,
  disabledReasons,
  failingTooLong,
  type WebhookEndpoint,
} from '#shared/domain/webhooks.ts';
import type { WebhookStore } from '#shared/store/webhook-store.ts';

/**
 * What an attempt's answer tells of its endpoint: a success forgets its failures, a first failure
 * notes when they began, and a failure once they have lasted the limit, or a 410 Gone, disables it.
 */
export async function noteEndpointHealth(
  store: WebhookStore,
  endpoint: WebhookEndpoint,
  statusCode: number | undefined,
  disableAfterFailingSeconds: number,
  now: Date,
): Promise<void> {
  const { owner, id, failingSince } = endpoint;
  if (acknowledged(statusCode)) {
    if (failingSince) await store.markSucceeding(owner, id);
  } else if (statusCode === 410) {
    await store.disable(owner, id, disabledReasons.gone, now);
  } else if (!failingSince) {
    await store.markFailing(owner, id, now);
  } else if (failingTooLong(failingSince, now, disableAfterFailingSeconds)) {
    const reason = disabledReasons.failing(failingSince, disableAfterFailingSeconds);
    await store.disable(owner, id, reason, now, failingSince);
  }
}
