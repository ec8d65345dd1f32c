import { queueAttempt } from '#shared/app/webhooks/delivery-messages.ts';
import type { LocalMessageQueue } from './message-queue.ts';
import { forEachScanned, pendingWebhookDeliveries } from './table-scans.ts';

/**
 * Queues again the next attempt of every pending webhook delivery, when it is due: the local queue
 * lost its messages when the stack last stopped (SQS keeps them in the cloud). An attempt queued
 * twice is made once: the worker drops a message for an attempt made already.
 */
export const requeuePendingWebhookDeliveries = (
  endpoint: string,
  tableName: string,
  queue: LocalMessageQueue,
) =>
  forEachScanned(
    endpoint,
    (client) => pendingWebhookDeliveries(client, tableName),
    (delivery) => queueAttempt(queue, delivery),
  );
