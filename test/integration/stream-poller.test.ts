import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type StreamHandler, type StreamPoller, startStreamPoller } from '#infra/local/stream-poller.ts';
import { eventually } from '../support/eventually.ts';
import { freshTable } from '../support/table.ts';

let poller: StreamPoller | undefined;
afterEach(() => poller?.stop());

const keyOf = (event: DynamoDBStreamEvent) => event.Records.map((record) => record.dynamodb?.Keys?.PK?.S);

async function follow(handler: StreamHandler) {
  const { client, tableName } = await freshTable();
  poller = await startStreamPoller({
    endpoint: inject('dynamoDbEndpoint'),
    tableName,
    handler,
    intervalMs: 50,
  });
  const put = (pk: string) =>
    client.send(new PutCommand({ TableName: tableName, Item: { PK: pk, SK: 'X' } }));
  return { put };
}

describe('the local stream poller, as a Lambda event source mapping', () => {
  it('delivers new items as DynamoDB stream events', async () => {
    const seen: (string | undefined)[] = [];
    const { put } = await follow(async (event) => {
      seen.push(...keyOf(event));
      expect(event.Records[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventName: 'INSERT' });
      return { batchItemFailures: [] };
    });
    await put('A');
    await put('B');
    await eventually(async () => expect(seen).toEqual(['A', 'B']));
  });

  it('retries from the failed record, and redelivers a batch whose handler threw', async () => {
    const seen: (string | undefined)[] = [];
    let failures = 0;
    const { put } = await follow(async (event) => {
      const keys = keyOf(event);
      if (keys.includes('B') && failures === 0) {
        failures += 1;
        seen.push(...keys.slice(0, keys.indexOf('B')));
        const failed = event.Records[keys.indexOf('B')]?.dynamodb?.SequenceNumber ?? '';
        return { batchItemFailures: [{ itemIdentifier: failed }] };
      }
      if (keys.includes('C') && failures === 1) {
        failures += 1;
        throw new Error('index unavailable');
      }
      seen.push(...keys);
      return { batchItemFailures: [] };
    });
    await put('A');
    await put('B');
    await put('C');
    await eventually(async () => expect(seen).toEqual(['A', 'B', 'C']));
    expect(failures).toBe(2);
  });
});
