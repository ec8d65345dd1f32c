import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { TableChangeConsumer } from '#shared/app/streams/table-change-consumers.ts';
import { type InvokeConsumer, TableChangeFanOut } from '#shared/app/streams/table-change-fan-out.ts';

type Change = 'INSERT' | 'MODIFY' | 'REMOVE';

/** A stream record of an item of `entity`, with the images its change has. */
const record = (sequenceNumber: string, eventName: Change, entity: string): DynamoDBRecord => {
  const image = { entity: { S: entity } };
  return {
    eventID: `event-${sequenceNumber}`,
    eventName,
    dynamodb: {
      SequenceNumber: sequenceNumber,
      ...(eventName === 'INSERT' ? {} : { OldImage: image }),
      ...(eventName === 'REMOVE' ? {} : { NewImage: image }),
    },
  };
};

const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

const consumer = (name: string, batchSize: number, filters: TableChangeConsumer['filters']) => ({
  name,
  functionName: `Marketplace-${name.replace('/', '-')}`,
  batchSize,
  filters,
});

/** Every change of a listing: its new image, or the old one of a deleted listing. */
const listingChanges = consumer('search/index-listings', 100, [
  { dynamodb: { NewImage: { entity: { S: ['listing'] } } } },
  { dynamodb: { OldImage: { entity: { S: ['listing'] } } } },
]);
/** New orders only. */
const newOrders = consumer('orders/drive-order-workflows', 100, [
  { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['order'] } } } },
]);

const ok: DynamoDBBatchResponse = { batchItemFailures: [] };
const failedAt = (itemIdentifier: string): DynamoDBBatchResponse => ({
  batchItemFailures: [{ itemIdentifier }],
});

/** An invoke port answering with `answer`, remembering the sequence numbers each function was given. */
function fakeInvoke(
  answer: (functionName: string, sequenceNumbers: string[]) => Promise<DynamoDBBatchResponse>,
) {
  const calls: { functionName: string; sequenceNumbers: string[] }[] = [];
  const invoke: InvokeConsumer = async (functionName, event) => {
    const sequenceNumbers = event.Records.map((one) => one.dynamodb?.SequenceNumber ?? '');
    calls.push({ functionName, sequenceNumbers });
    return answer(functionName, sequenceNumbers);
  };
  const callsOf = (of: { functionName: string }) =>
    calls.filter(({ functionName }) => functionName === of.functionName).map((call) => call.sequenceNumbers);
  return { invoke, calls, callsOf };
}

let written: string[];
let spies: MockInstance<typeof process.stdout.write>[];
beforeEach(() => {
  written = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  // Metrics go to the standard output, error logs to the standard error.
  spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(capture),
  );
});
afterEach(() => {
  for (const spy of spies) spy.mockRestore();
});

const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the table-change fan-out', () => {
  it("hands each consumer the records its filters match, in the stream's order, and nobody the others", async () => {
    const { invoke, calls, callsOf } = fakeInvoke(async () => ok);
    const answer = await new TableChangeFanOut([listingChanges, newOrders], invoke).deliver(
      batch(
        record('1', 'INSERT', 'listing'),
        record('2', 'INSERT', 'order'),
        record('3', 'MODIFY', 'order'),
        record('4', 'MODIFY', 'review'),
        record('5', 'REMOVE', 'listing'),
        record('6', 'REMOVE', 'order'),
        record('7', 'MODIFY', 'listing'),
        record('8', 'INSERT', 'order'),
      ),
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(callsOf(listingChanges)).toEqual([['1', '5', '7']]);
    expect(callsOf(newOrders)).toEqual([['2', '8']]);
    expect(calls).toHaveLength(2);
  });

  it('invokes no consumer whose filters match no record of the batch, and none for a batch nobody wants', async () => {
    const { invoke, calls } = fakeInvoke(async () => ok);
    const fanOut = new TableChangeFanOut([listingChanges, newOrders], invoke);

    expect(await fanOut.deliver(batch(record('1', 'MODIFY', 'listing')))).toEqual(ok);
    expect(calls.map(({ functionName }) => functionName)).toEqual([listingChanges.functionName]);
    expect(
      await fanOut.deliver(batch(record('2', 'MODIFY', 'review'), record('3', 'REMOVE', 'order'))),
    ).toEqual(ok);
    expect(calls).toHaveLength(1);
  });

  it('cuts a consumer’s records into chunks of its batch size, invoked one after the other', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const { invoke, callsOf } = fakeInvoke(async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return ok;
    });
    const byTwo = { ...listingChanges, batchSize: 2 };
    await new TableChangeFanOut([byTwo], invoke).deliver(
      batch(
        ...['1', '2', '3', '4', '5'].map((sequenceNumber) => record(sequenceNumber, 'MODIFY', 'listing')),
      ),
    );
    expect(callsOf(byTwo)).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(mostAtOnce).toBe(1);
  });

  it('invokes the consumers in parallel', { timeout: 2000 }, async () => {
    const invoked = new Set<string>();
    let bothInvoked: () => void = () => {};
    const both = new Promise<void>((resolve) => {
      bothInvoked = resolve;
    });
    const { invoke } = fakeInvoke(async (functionName) => {
      invoked.add(functionName);
      if (invoked.size === 2) bothInvoked();
      await both;
      return ok;
    });
    const answer = await new TableChangeFanOut([listingChanges, newOrders], invoke).deliver(
      batch(record('1', 'MODIFY', 'listing'), record('2', 'INSERT', 'order')),
    );
    expect(answer).toEqual(ok);
    expect(invoked.size).toBe(2);
  });

  it('stops a consumer at its first failing chunk, and answers the record it reported', async () => {
    const byTwo = { ...listingChanges, batchSize: 2 };
    const { invoke, callsOf } = fakeInvoke(async (_, sequenceNumbers) =>
      sequenceNumbers.includes('4') ? failedAt('4') : ok,
    );
    const answer = await new TableChangeFanOut([byTwo], invoke).deliver(
      batch(
        ...['1', '2', '3', '4', '5', '6'].map((sequenceNumber) =>
          record(sequenceNumber, 'MODIFY', 'listing'),
        ),
      ),
    );
    expect(answer).toEqual(failedAt('4'));
    expect(callsOf(byTwo)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('answers the failure that comes first in the incoming batch, whichever consumer failed first', async () => {
    const { invoke } = fakeInvoke(async (functionName, sequenceNumbers) => {
      if (functionName === listingChanges.functionName) return failedAt('5');
      // The orders' consumer fails later in time, at an earlier record of the batch.
      await new Promise((resolve) => setTimeout(resolve, 10));
      return failedAt(sequenceNumbers[1] ?? '');
    });
    const answer = await new TableChangeFanOut([listingChanges, newOrders], invoke).deliver(
      batch(
        record('1', 'INSERT', 'order'),
        record('3', 'INSERT', 'order'),
        record('5', 'MODIFY', 'listing'),
        record('7', 'INSERT', 'order'),
      ),
    );
    expect(answer).toEqual(failedAt('3'));
  });

  it('takes a function error as a failure at the first record of the chunk', async () => {
    const byTwo = { ...listingChanges, batchSize: 2 };
    const { invoke, callsOf } = fakeInvoke(async (_, sequenceNumbers) => {
      if (sequenceNumbers.includes('3'))
        throw new Error('Marketplace-search-index-listings failed (Unhandled)');
      return ok;
    });
    const answer = await new TableChangeFanOut([byTwo], invoke).deliver(
      batch(
        ...['1', '2', '3', '4', '5'].map((sequenceNumber) => record(sequenceNumber, 'MODIFY', 'listing')),
      ),
    );
    expect(answer).toEqual(failedAt('3'));
    expect(callsOf(byTwo)).toHaveLength(2);
  });

  it('takes an empty or unknown item identifier as a failure at the first record of the chunk', async () => {
    const byTwo = { ...listingChanges, batchSize: 2 };
    const records = ['1', '2', '3', '4'].map((sequenceNumber) => record(sequenceNumber, 'MODIFY', 'listing'));
    const answering = (identifier: string) =>
      new TableChangeFanOut(
        [byTwo],
        fakeInvoke(async (_, sequenceNumbers) => (sequenceNumbers.includes('4') ? failedAt(identifier) : ok))
          .invoke,
      );

    expect(await answering('').deliver(batch(...records))).toEqual(failedAt('3'));
    expect(await answering('1').deliver(batch(...records))).toEqual(failedAt('3'));
    expect(await answering('not-a-sequence-number').deliver(batch(...records))).toEqual(failedAt('3'));
  });

  it('logs each consumer failure and counts it in the series of its consumer', async () => {
    const { invoke } = fakeInvoke(async (functionName) => {
      if (functionName === newOrders.functionName)
        throw new Error('Marketplace-orders failed (Unhandled): boom');
      return failedAt('1');
    });
    await new TableChangeFanOut([listingChanges, newOrders], invoke).deliver(
      batch(record('1', 'MODIFY', 'listing'), record('2', 'INSERT', 'order')),
    );
    const logged = lines().filter((line) => line.message === 'a table-change consumer failed');
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ consumer: 'search/index-listings', sequenceNumber: '1' }),
        expect.objectContaining({
          consumer: 'orders/drive-order-workflows',
          sequenceNumber: '2',
          error: expect.objectContaining({ message: 'Marketplace-orders failed (Unhandled): boom' }),
        }),
      ]),
    );
    const counted = lines().filter((line) => '_aws' in line);
    expect(counted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ consumer: 'search/index-listings', TableChangeConsumerFailures: 1 }),
        expect.objectContaining({ consumer: 'orders/drive-order-workflows', TableChangeConsumerFailures: 1 }),
      ]),
    );
    expect(counted).toHaveLength(2);
  });
});
