import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotencyRecordEntity, idempotencyRecordKey } from '#shared/store/entities/idempotency-record.ts';
import { IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import { newId } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

let client: DynamoDBDocumentClient;
let tableName: string;
let records: IdempotencyRecordStore;

beforeAll(async () => {
  ({ client, tableName } = await freshTable());
  records = new IdempotencyRecordStore(client, tableName);
});

const at = (iso: string) => new Date(iso);
const claimOf = (userId: string, key: string, fingerprint: string, now: Date) =>
  new TransactWriteCommand({
    TransactItems: [records.claim({ userId, key, fingerprint, resourceId: `res-${fingerprint}`, now })],
  });

describe('IdempotencyRecordStore', () => {
  it('claims a key once, for a day: a second claim fails until the record has expired', async () => {
    const userId = newId('user');
    await client.send(claimOf(userId, 'key-1', 'a', at('2026-12-01T10:00:00Z')));
    await expect(client.send(claimOf(userId, 'key-1', 'b', at('2026-12-02T09:59:00Z')))).rejects.toThrow(
      /ConditionalCheckFailed/,
    );
    expect(await records.get(userId, 'key-1', at('2026-12-02T09:59:00Z'))).toMatchObject({
      fingerprint: 'a',
      resourceId: 'res-a',
    });

    // A day later the record is gone for reads, and the key may be claimed anew.
    expect(await records.get(userId, 'key-1', at('2026-12-02T10:00:01Z'))).toBeUndefined();
    await client.send(claimOf(userId, 'key-1', 'b', at('2026-12-02T10:00:01Z')));
    expect(await records.get(userId, 'key-1', at('2026-12-02T10:00:02Z'))).toMatchObject({
      fingerprint: 'b',
    });
  });

  it('keeps the response of the request the key is bound to, never of another', async () => {
    const userId = newId('user');
    const now = at('2026-12-01T10:00:00Z');
    await client.send(claimOf(userId, 'key-2', 'a', now));
    const response = { status: 201, body: { id: 'res-a' }, headers: { location: '/things/res-a' } };
    await records.saveResponse({ userId, key: 'key-2', fingerprint: 'a', response, now });
    await records.saveResponse({
      userId,
      key: 'key-2',
      fingerprint: 'b',
      response: { status: 201, body: { id: 'other' } },
      now,
    });
    expect(await records.get(userId, 'key-2', now)).toEqual({
      fingerprint: 'a',
      resourceId: 'res-a',
      response,
      expiresAt: now.getTime() / 1000 + 86_400,
    });
  });

  it('records the response of a request that claimed nothing', async () => {
    const userId = newId('user');
    const now = at('2026-12-01T10:00:00Z');
    await records.saveResponse({ userId, key: 'key-3', fingerprint: 'a', response: { status: 200 }, now });
    expect(await records.get(userId, 'key-3', now)).toMatchObject({
      fingerprint: 'a',
      response: { status: 200 },
    });
  });

  it("reads a checkout's record of schema version 1 as a claim of that checkout", async () => {
    const userId = newId('user');
    const expiresAt = Date.parse('2026-12-02T10:00:00Z') / 1000;
    for (const [key, response] of [
      ['old-done', { id: 'checkout-1' }],
      ['old-open', undefined],
    ] as const) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...idempotencyRecordKey(userId, key),
            entity: idempotencyRecordEntity.name,
            fingerprint: 'f',
            checkoutId: 'checkout-1',
            expiresAt,
            ...(response ? { response } : {}),
          },
        }),
      );
    }
    const now = at('2026-12-01T12:00:00Z');
    expect(await records.get(userId, 'old-done', now)).toEqual({
      fingerprint: 'f',
      resourceId: 'checkout-1',
      response: { status: 201, body: { id: 'checkout-1' } },
      expiresAt,
    });
    expect(await records.get(userId, 'old-open', now)).toEqual({
      fingerprint: 'f',
      resourceId: 'checkout-1',
      expiresAt,
    });
  });
});
