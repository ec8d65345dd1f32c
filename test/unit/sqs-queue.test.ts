import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqsQueue, sqsQueue } from '#shared/queue/sqs.ts';

const sqs = mockClient(SQSClient);
const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/Marketplace-StripeEventsQueue';

beforeEach(() => sqs.reset());
afterEach(() => vi.unstubAllEnvs());

describe('SqsQueue', () => {
  it('sends the body as one message to its queue', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'message-1' });
    await new SqsQueue(new SQSClient({ region: 'eu-west-1' }), queueUrl).send('{"eventId":"evt_1"}');
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: queueUrl, MessageBody: '{"eventId":"evt_1"}' },
    ]);
  });

  it('passes a failed send on, so the sender can answer with an error and be retried', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));
    await expect(new SqsQueue(new SQSClient({ region: 'eu-west-1' }), queueUrl).send('{}')).rejects.toThrow(
      'throttled',
    );
  });

  it('finds the URL of a queue by name in the environment CDK sets', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('STRIPE_EVENTS_QUEUE_URL', queueUrl);
    sqs.on(SendMessageCommand).resolves({});
    await sqsQueue('stripe-events').send('{}');
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.QueueUrl).toBe(queueUrl);
  });

  it('refuses to start without the URL', () => {
    vi.stubEnv('STRIPE_EVENTS_QUEUE_URL', '');
    expect(() => sqsQueue('stripe-events')).toThrow('needs STRIPE_EVENTS_QUEUE_URL');
  });
});
