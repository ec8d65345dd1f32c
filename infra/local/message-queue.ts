import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MessageQueue } from '#shared/queue/port.ts';
import { localAccount } from './aws/authorization.ts';
import { lambdaContext } from './lambda-event.ts';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface LocalMessageQueueOptions {
  /** The queue's name, in its ARN and in log lines. */
  readonly name: string;
  /** The consumer, as the Lambda function the event source mapping invokes. */
  readonly handler: QueueHandler;
  /** Messages per invocation at most, as the event source mapping's batch size. */
  readonly batchSize?: number;
  /** How long the first ready message waits for others to join its batch. */
  readonly batchWindowMs?: number;
  /** Receives before a message is dead-lettered, as the redrive policy's maxReceiveCount. */
  readonly maxReceiveCount?: number;
  /** Wait before a failed message is received again; each further retry waits twice as long. */
  readonly firstRetryDelayMs?: number;
}

/** A message that failed on every receive, as it would sit in the dead-letter queue. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

/**
 * The local stand-in for an SQS standard queue with a dead-letter queue, feeding a Lambda event
 * source mapping: sent messages reach the handler in batches of real `SQSEvent` records, failures
 * reported in `batchItemFailures` (or a throw, failing the batch) are received again after a
 * backoff, and a message still failing at `maxReceiveCount` is dead-lettered. Like SQS, messages
 * are delivered at least once and in no set order, a delayed one once its delay passed; unlike
 * it, nothing is kept across a restart.
 */
export class LocalMessageQueue implements MessageQueue {
  readonly #name: string;
  readonly #handler: QueueHandler;
  readonly #batchSize: number;
  readonly #batchWindowMs: number;
  readonly #maxReceiveCount: number;
  readonly #firstRetryDelayMs: number;
  readonly #ready: QueuedMessage[] = [];
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  readonly #invocations = new Set<Promise<void>>();
  readonly #deadLetters: DeadLetter[] = [];
  #batchTimer: NodeJS.Timeout | undefined;
  /** Messages sent and neither handled nor dead-lettered yet. */
  #outstanding = 0;
  #whenSettled: (() => void)[] = [];
  #stopped = false;

  constructor(options: LocalMessageQueueOptions) {
    this.#name = options.name;
    this.#handler = options.handler;
    this.#batchSize = options.batchSize ?? 10;
    this.#batchWindowMs = options.batchWindowMs ?? 10;
    this.#maxReceiveCount = options.maxReceiveCount ?? 5;
    this.#firstRetryDelayMs = options.firstRetryDelayMs ?? 1000;
  }

  async send(body: string, delaySeconds = 0): Promise<void> {
    if (this.#stopped) throw new Error(`The local queue ${this.#name} is stopped`);
    this.#outstanding += 1;
    const message = { messageId: randomUUID(), body, sentAt: Date.now(), receiveCount: 0 };
    if (delaySeconds > 0) this.#later(message, delaySeconds * 1000);
    else this.#makeReady(message);
  }

  deadLetters(): readonly DeadLetter[] {
    return [...this.#deadLetters];
  }

  /** Resolves once every message sent so far has been handled or dead-lettered. */
  settled(): Promise<void> {
    if (this.#outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenSettled.push(resolve));
  }

  /** Takes no more messages and waits for the batches being handled; messages still waiting are dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#batchTimer);
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    await Promise.all(this.#invocations);
    if (this.#outstanding > 0) {
      console.error(
        `queue ${this.#name} stopped with ${this.#outstanding} message(s) not handled; they are lost`,
      );
    }
    this.#outstanding = 0;
    this.#settle();
  }

  #makeReady(message: QueuedMessage): void {
    this.#ready.push(message);
    this.#batchTimer ??= setTimeout(() => this.#deliverReady(), this.#batchWindowMs);
  }

  #deliverReady(): void {
    this.#batchTimer = undefined;
    while (this.#ready.length > 0) {
      const invocation = this.#invoke(this.#ready.splice(0, this.#batchSize)).finally(() =>
        this.#invocations.delete(invocation),
      );
      this.#invocations.add(invocation);
    }
  }

  async #invoke(batch: QueuedMessage[]): Promise<void> {
    const receivedAt = Date.now();
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= receivedAt;
    }
    const failed = await this.#failedMessages(batch);
    for (const message of batch) {
      if (!failed.has(message)) this.#handled();
      else if (message.receiveCount >= this.#maxReceiveCount) this.#deadLetter(message);
      else this.#retryLater(message);
    }
  }

  /**
   * Like Lambda: a throw fails the whole batch, and so does a failure naming no message of the
   * batch; otherwise exactly the named messages failed.
   */
  async #failedMessages(batch: QueuedMessage[]): Promise<Set<QueuedMessage>> {
    try {
      const response = await this.#handler(
        { Records: batch.map((message) => this.#toRecord(message)) },
        lambdaContext(`${this.#name}-consumer`),
      );
      const failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      const failed = batch.filter((message) => failedIds.has(message.messageId));
      return new Set(failed.length === failedIds.size ? failed : batch);
    } catch (error) {
      console.error(`queue ${this.#name}: the consumer failed`, error);
      return new Set(batch);
    }
  }

  #toRecord(message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: localAccount.accountId,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:${localAccount.partition}:sqs:${localAccount.region}:${localAccount.accountId}:${this.#name}`,
      awsRegion: localAccount.region,
    };
  }

  #retryLater(message: QueuedMessage): void {
    this.#later(message, this.#firstRetryDelayMs * 2 ** (message.receiveCount - 1));
  }

  /** Makes the message ready once `delayMs` passed, unless the queue is stopped meanwhile. */
  #later(message: QueuedMessage, delayMs: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.#makeReady(message);
    }, delayMs);
    this.#retryTimers.add(timer);
  }

  #deadLetter({ messageId, body, receiveCount }: QueuedMessage): void {
    this.#deadLetters.push({ messageId, body, receiveCount });
    console.error(`queue ${this.#name}: message ${messageId} failed ${receiveCount} times; dead-lettered`);
    this.#handled();
  }

  #handled(): void {
    this.#outstanding -= 1;
    if (this.#outstanding === 0) this.#settle();
  }

  #settle(): void {
    for (const resolve of this.#whenSettled.splice(0)) resolve();
  }
}
