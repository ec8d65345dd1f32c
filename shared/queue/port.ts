/** Sending messages to one queue: SQS, which the local stack serves on this machine too. */
export interface MessageQueue {
  /** Hands the message to the queue's consumer at least once, in no particular order. */
  send(body: string): Promise<void>;
}
