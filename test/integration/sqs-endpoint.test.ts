import { createHash } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Authorize, accessDenied } from '#infra/local/aws/authorization.ts';
import { type LocalQueueAddress, type SqsEndpoint, startSqsEndpoint } from '#infra/local/aws/sqs-endpoint.ts';
import { LocalMessageQueue } from '#infra/local/message-queue.ts';

const sender = 'StripeWebhookFunction';
const outsider = 'ReindexFunction';

const checks: [string | undefined, string, string][] = [];
const authorize: Authorize = (accessKeyId, action, resource) => {
  checks.push([accessKeyId, action, resource]);
  if (accessKeyId === outsider) throw accessDenied(accessKeyId, action, resource);
};

const clientFor = (accessKeyId: string, endpoint: string) =>
  new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'local' } });

let endpoint: SqsEndpoint;
let queue: LocalMessageQueue;
let stripeEvents: LocalQueueAddress;
let records: SQSRecord[];
let client: SQSClient;

beforeAll(async () => {
  endpoint = await startSqsEndpoint({ authorize });
  queue = new LocalMessageQueue({
    name: 'stripe-events',
    handler: async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
    batchWindowMs: 1,
  });
  stripeEvents = endpoint.addQueue('stripe-events', queue);
  client = clientFor(sender, endpoint.url);
});

afterAll(async () => {
  await queue.stop();
  await endpoint.stop();
});

beforeEach(() => {
  records = [];
  checks.length = 0;
});

describe('the local SQS endpoint, reached by the real SQSClient', () => {
  it('names the queue as SQS would', () => {
    expect(stripeEvents).toEqual({
      url: `${endpoint.url}/000000000000/stripe-events`,
      arn: 'arn:aws:sqs:us-east-1:000000000000:stripe-events',
    });
  });

  it('hands a sent message to the queue consumer as an SQS record, answering the MD5 the SDK checks', async () => {
    const body = '{"id":"evt_1","type":"charge.succeeded","note":"naïve café"}';
    const sent = await client.send(new SendMessageCommand({ QueueUrl: stripeEvents.url, MessageBody: body }));
    await queue.settled();

    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body, 'utf8').digest('hex'));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(records).toEqual([expect.objectContaining({ body, eventSource: 'aws:sqs' })]);
    expect(checks).toEqual([[sender, 'sqs:SendMessage', stripeEvents.arn]]);
  });

  it('sends a batch entry by entry, reporting the entries it refused, and holds a delayed one back', async () => {
    const sentAt = Date.now();
    const { Successful, Failed } = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: stripeEvents.url,
        Entries: [
          { Id: 'first', MessageBody: 'one' },
          { Id: 'delayed', MessageBody: 'two', DelaySeconds: 1 },
          {
            Id: 'tagged',
            MessageBody: 'three',
            MessageAttributes: { a: { DataType: 'String', StringValue: 'x' } },
          },
          { Id: 'late', MessageBody: 'four', DelaySeconds: 901 },
        ],
      }),
    );
    expect(Successful?.map((entry) => entry.Id)).toEqual(['first', 'delayed']);
    expect(Failed).toEqual([
      expect.objectContaining({ Id: 'tagged', SenderFault: true, Code: 'UnsupportedOperation' }),
      expect.objectContaining({ Id: 'late', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    await vi.waitFor(() => expect(records.map((record) => record.body)).toEqual(['one']));
    await queue.settled();
    expect(records.map((record) => record.body)).toEqual(['one', 'two']);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1000);
  });

  it('refuses a batch whose entries share an id', async () => {
    const send = client.send(
      new SendMessageBatchCommand({
        QueueUrl: stripeEvents.url,
        Entries: [
          { Id: 'same', MessageBody: 'one' },
          { Id: 'same', MessageBody: 'two' },
        ],
      }),
    );
    await expect(send).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
  });

  it('answers QueueDoesNotExist for a queue it does not serve', async () => {
    const send = client.send(
      new SendMessageCommand({ QueueUrl: `${endpoint.url}/000000000000/no-such-queue`, MessageBody: 'lost' }),
    );
    await expect(send).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  it('finds the queue URL and ARN by name', async () => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'stripe-events' }));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );

    expect(QueueUrl).toBe(stripeEvents.url);
    expect(Attributes).toEqual({ QueueArn: stripeEvents.arn });
    expect(checks.map(([, action]) => action)).toEqual(['sqs:GetQueueUrl', 'sqs:GetQueueAttributes']);
  });

  it('refuses a message it could not deliver as sent rather than dropping what it cannot carry', async () => {
    const send = client.send(
      new SendMessageCommand({
        QueueUrl: stripeEvents.url,
        MessageBody: 'with attributes',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'refund' } },
      }),
    );
    await expect(send).rejects.toMatchObject({ name: 'UnsupportedOperation' });
  });

  it('refuses a function without the grant, as AWS does, and delivers nothing', async () => {
    const send = clientFor(outsider, endpoint.url).send(
      new SendMessageCommand({ QueueUrl: stripeEvents.url, MessageBody: 'not allowed' }),
    );
    await expect(send).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`${outsider} is not authorized to perform: sqs:SendMessage`),
    });
    await queue.settled();
    expect(records).toEqual([]);
  });
});
