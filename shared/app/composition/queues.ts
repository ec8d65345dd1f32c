import { stripeEventQueueName, webhookDeliveryQueueName } from '#shared/config/function-resources.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { sqsQueue } from '#shared/queue/sqs.ts';

/** Composition root of the queues, each made at its first use. */
export const stripeEventQueue = onFirstUse(() => sqsQueue(stripeEventQueueName));
export const webhookDeliveryQueue = onFirstUse(() => sqsQueue(webhookDeliveryQueueName));
