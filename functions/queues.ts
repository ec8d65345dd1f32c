import { onFirstUse } from '#shared/config/on-first-use.ts';
import { sqsQueue } from '#shared/queue/sqs.ts';
import { stripeEventProcessing } from './routes/stripe-event-processing.ts';

/** Composition root of the queues, each made at its first use. */
export const stripeEventQueue = onFirstUse(() => sqsQueue(stripeEventProcessing.queue));
