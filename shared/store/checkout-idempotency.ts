import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { idempotencyRecordEntity, idempotencyRecordKey } from './entities/idempotency-record.ts';

export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly checkoutId: string;
  /** The response, once the checkout finished; replays answer exactly this. */
  readonly response?: unknown;
}

/** The checkout's idempotency key was taken by an earlier (or a concurrent) request. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('The idempotency key was used before.');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** Idempotency keys are honoured for a day, as payment providers do. */
const idempotencyTtlSeconds = 24 * 60 * 60;

/** A transaction's write taking the idempotency key for the checkout; fails if the key is taken. */
export function idempotencyClaim(
  tableName: string,
  idempotency: { readonly userId: string; readonly key: string; readonly fingerprint: string },
  checkoutId: string,
  now: Date,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: idempotencyRecordEntity.item(idempotencyRecordKey(idempotency.userId, idempotency.key), {
        fingerprint: idempotency.fingerprint,
        checkoutId,
        expiresAt: Math.floor(now.getTime() / 1000) + idempotencyTtlSeconds,
      }),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export async function getIdempotencyRecord(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: idempotencyRecordKey(userId, key), ConsistentRead: true }),
  );
  return decodeIfPresent(idempotencyRecordEntity, Item);
}

export async function saveIdempotentResponse(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  key: string,
  response: unknown,
): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: idempotencyRecordKey(userId, key),
      UpdateExpression: 'SET #response = :response',
      ExpressionAttributeNames: { '#response': 'response' },
      ExpressionAttributeValues: { ':response': response },
    }),
  );
}
