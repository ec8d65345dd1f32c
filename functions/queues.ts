import { onFirstUse } from '#shared/config/on-first-use.ts';
import { inProcessQueue } from '#shared/queue/in-process.ts';
import type { MessageQueue } from '#shared/queue/port.ts';
import { sqsQueue } from '#shared/queue/sqs.ts';
import { stripeEventProcessing } from './routes.ts';

/** The local stack's queue, looked up at each call: the stack registers it after loading functions. */
function inProcess(name: string): MessageQueue {
  return { send: (body) => inProcessQueue(name).send(body) };
}

/** Composition root of the queues: SQS in the cloud, `EVENT_QUEUE=in-process` locally. */
const messageQueue = (name: string): MessageQueue =>
  onFirstUse(() => (process.env.EVENT_QUEUE === 'in-process' ? inProcess(name) : sqsQueue(name)));

export const stripeEventQueue = messageQueue(stripeEventProcessing.queue);
