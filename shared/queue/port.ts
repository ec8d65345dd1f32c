/** Sending messages to one queue: SQS in the cloud; locally an in-process queue behind the same interface. */
export interface MessageQueue {
  /** Hands the message to the queue's consumer at least once, in no particular order. */
  send(body: string): Promise<void>;
}
