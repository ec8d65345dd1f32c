import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type MessageQueue, queueUrlVariable } from './port.ts';

/** An Amazon SQS standard queue. */
export class SqsQueue implements MessageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
  }
}

/** The queue `name`, its URL set by CDK on the functions that send to it. */
export function sqsQueue(name: string): SqsQueue {
  const urlVariable = queueUrlVariable(name);
  const url = process.env[urlVariable];
  if (!url) throw new Error(`${urlVariable} is not set`);
  return new SqsQueue(new SQSClient({}), url);
}
