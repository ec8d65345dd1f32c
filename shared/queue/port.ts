/** Sending messages to one queue: SQS, which the local stack serves on this machine too. */
export interface MessageQueue {
  /**
   * Hands the message to the queue's consumer at least once, in no particular order, and not
   * before `delaySeconds` (0 to 900, SQS's limit) have passed.
   */
  send(body: string, delaySeconds?: number): Promise<void>;
}

/** SQS delays a message by 15 minutes at most. */
export const maxDelaySeconds = 900;
