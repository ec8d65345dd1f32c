import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  type IdempotencyRecord,
  idempotencyRecordEntity,
  idempotencyRecordKey,
  type StoredResponse,
} from './entities/idempotency-record.ts';

/** The Idempotency-Key was claimed by an earlier or a concurrent request. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('The idempotency key was used before.');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** Idempotency keys are honoured for a day, as payment providers do. */
const idempotencyTtlSeconds = 24 * 60 * 60;

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

interface KeyOfUser {
  readonly userId: string;
  readonly key: string;
}

/** Users' Idempotency-Keys: what each is bound to, what it claimed and the response it gave. */
export class IdempotencyRecordStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The key's record, unless it has none or it expired (TTL deletes expired items only eventually). */
  async get(userId: string, key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: idempotencyRecordKey(userId, key),
        ConsistentRead: true,
      }),
    );
    const record = decodeIfPresent(idempotencyRecordEntity, Item);
    return record && record.expiresAt > epochSeconds(now) ? record : undefined;
  }

  /**
   * A transaction's write claiming the key for the resource the transaction makes. It fails, and
   * with it the transaction, while the key has an unexpired record: the store writing the
   * transaction answers IdempotencyKeyTaken.
   */
  claim(
    claim: KeyOfUser & { readonly fingerprint: string; readonly resourceId: string; readonly now: Date },
  ) {
    const { userId, key, fingerprint, resourceId, now } = claim;
    return {
      Put: {
        TableName: this.tableName,
        Item: idempotencyRecordEntity.item(idempotencyRecordKey(userId, key), {
          fingerprint,
          resourceId,
          expiresAt: epochSeconds(now) + idempotencyTtlSeconds,
        }),
        ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': epochSeconds(now) },
      },
    } satisfies TransactItem;
  }

  /**
   * Keeps the first successful response for replays, for a day from now. A request that claimed
   * nothing (it found its resource made long ago) records its key here. Should another request
   * hold the key for another request meanwhile, that one keeps it.
   */
  async saveResponse(
    saved: KeyOfUser & {
      readonly fingerprint: string;
      readonly response: StoredResponse;
      readonly now: Date;
    },
  ): Promise<void> {
    const { userId, key, fingerprint, response, now } = saved;
    const { entity, schemaVersion } = idempotencyRecordEntity.stamp;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: idempotencyRecordKey(userId, key),
          UpdateExpression:
            'SET entity = :entity, schemaVersion = :version, fingerprint = :fingerprint, #response = :response, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(PK) OR fingerprint = :fingerprint OR expiresAt <= :now',
          ExpressionAttributeNames: { '#response': 'response' },
          ExpressionAttributeValues: {
            ':entity': entity,
            ':version': schemaVersion,
            ':fingerprint': fingerprint,
            ':response': response,
            ':expiresAt': epochSeconds(now) + idempotencyTtlSeconds,
            ':now': epochSeconds(now),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
