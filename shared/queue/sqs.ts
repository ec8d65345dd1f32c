import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { traced } from '../observability/tracer.ts';
import type { MessageQueue } from './port.ts';

/** An Amazon SQS standard queue. */
export class SqsQueue implements MessageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string, delaySeconds = 0): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}),
      }),
    );
  }
}

/** The queue `name`, its URL set by CDK on the functions that send to it. */
export const sqsQueue = (name: string): SqsQueue =>
  new SqsQueue(traced(new SQSClient({})), requiredVariable(resourceVariables.queueUrl(name)));
