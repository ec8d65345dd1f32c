import type { MessageQueue } from './port.ts';

/**
 * Where the local stack registers the in-process queue of each name, so the functions' composition
 * root can find it as it finds an SQS queue in the cloud (by URL).
 */
const queues = new Map<string, MessageQueue>();

export function registerInProcessQueue(name: string, queue: MessageQueue): void {
  queues.set(name, queue);
}

export function inProcessQueue(name: string): MessageQueue {
  const queue = queues.get(name);
  if (!queue) throw new Error(`No in-process queue named ${name} runs; start the local stack.`);
  return queue;
}
