/** Sending messages to one queue: SQS in the cloud; locally an in-process queue behind the same interface. */
export interface MessageQueue {
  /** Hands the message to the queue's consumer at least once, in no particular order. */
  send(body: string): Promise<void>;
}

/** The environment variable holding a queue's URL: `stripe-events` -> STRIPE_EVENTS_QUEUE_URL. */
export const queueUrlVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_QUEUE_URL`;
