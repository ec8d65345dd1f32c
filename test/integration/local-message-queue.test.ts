import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalMessageQueue, type QueueHandler } from '#infra/local/message-queue.ts';

let queue: LocalMessageQueue | undefined;
afterEach(() => queue?.stop());

/** A queue with short retry delays whose handler sees every batch; `respond` decides each batch's outcome. */
function queueWith(respond: (records: SQSRecord[]) => SQSBatchResponse | Promise<SQSBatchResponse>) {
  const batches: SQSRecord[][] = [];
  const handler: QueueHandler = async (event: SQSEvent) => {
    batches.push(event.Records);
    return respond(event.Records);
  };
  queue = new LocalMessageQueue({ name: 'test-events', handler, batchSize: 3, firstRetryDelayMs: 5 });
  return { queue, batches };
}

const bodiesOf = (batches: SQSRecord[][]) => batches.map((batch) => batch.map((record) => record.body));
const failing = (records: SQSRecord[], body: string) => ({
  batchItemFailures: records
    .filter((record) => record.body === body)
    .map((record) => ({ itemIdentifier: record.messageId })),
});

describe('the local message queue, as SQS feeding a Lambda function', () => {
  it('delivers messages sent together in batches of SQS records', async () => {
    const { queue, batches } = queueWith(() => ({ batchItemFailures: [] }));
    await Promise.all(['a', 'b', 'c', 'd'].map((body) => queue.send(body)));
    await queue.settled();

    expect(bodiesOf(batches)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(batches[0]?.[0]).toMatchObject({
      body: 'a',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test-events',
      md5OfBody: '0cc175b9c0f1b6a831c399e269772661',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(queue.deadLetters()).toEqual([]);
  });

  it('receives only the failed messages again, counting receives, and dead-letters one failing on every receive', async () => {
    const { queue, batches } = queueWith((records) => failing(records, 'poison'));
    await queue.send('fine');
    await queue.send('poison');
    await queue.settled();

    expect(bodiesOf(batches)).toEqual([['fine', 'poison'], ['poison'], ['poison'], ['poison'], ['poison']]);
    expect(batches.map((batch) => batch.at(-1)?.attributes.ApproximateReceiveCount)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(queue.deadLetters()).toEqual([
      { messageId: batches[0]?.[1]?.messageId, body: 'poison', receiveCount: 5 },
    ]);
  });

  it('delivers a message again once the failure that held it back has passed', async () => {
    let failuresLeft = 2;
    const { queue, batches } = queueWith((records) => {
      failuresLeft -= 1;
      return failuresLeft >= 0 ? failing(records, 'flaky') : { batchItemFailures: [] };
    });
    await queue.send('flaky');
    await queue.settled();

    expect(batches).toHaveLength(3);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('fails the whole batch when the handler throws or names a message not in the batch', async () => {
    let invocation = 0;
    const { queue, batches } = queueWith(() => {
      invocation += 1;
      if (invocation === 1) throw new Error('crashed');
      if (invocation === 2) return { batchItemFailures: [{ itemIdentifier: '' }] };
      return { batchItemFailures: [] };
    });
    await queue.send('x');
    await queue.send('y');
    await queue.settled();

    expect(bodiesOf(batches)).toEqual([
      ['x', 'y'],
      ['x', 'y'],
      ['x', 'y'],
    ]);
  });

  it('takes no message once stopped', async () => {
    const { queue } = queueWith(() => ({ batchItemFailures: [] }));
    await queue.stop();
    await expect(queue.send('late')).rejects.toThrow('The local queue test-events is stopped');
  });
});
