import { ConditionalCheckFailedException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { concurrentModification, fromAttributeValues } from './conditional.ts';

/**
 * Items that mirror a Stripe object hold what the latest read from Stripe found. Reads race: a
 * webhook delivered twice, two events handled at once, a seller's request beside a webhook. Each
 * write carries `observedAt`, the time its read *began*, and lands only if no read that began later
 * is stored. A read that began after the object's last change sees its final state, and no read that
 * began earlier can overwrite it, so the item ends at Stripe's current state whatever the order in
 * which events arrive. Lambda clocks agree within milliseconds; on a tie the later write wins.
 */
export const noLaterReadStored = 'observedAt <= :observedAt';

export interface ObservedStateWrite {
  readonly tableName: string;
  readonly key: Record<string, string>;
  /** The item's own attributes, `entity` included; `observedAt` and `updatedAt` are added. */
  readonly attributes: Record<string, unknown>;
  readonly observedAt: Date;
  /** When the write may land, e.g. `attribute_not_exists(PK) OR ${noLaterReadStored}`. */
  readonly condition: string;
  readonly conditionValues?: Record<string, unknown>;
}

/** Writes the observed state if `condition` holds; returns the item that stands, written or kept. */
export async function writeObservedState(
  client: DynamoDBDocumentClient,
  { tableName, key, attributes, observedAt, condition, conditionValues = {} }: ObservedStateWrite,
  now = new Date(),
): Promise<Record<string, unknown>> {
  const fields = Object.entries(attributes);
  const names = Object.fromEntries(fields.map(([field], index) => [`#f${index}`, field]));
  const values = Object.fromEntries(fields.map(([, value], index) => [`:v${index}`, value]));
  const assignments = fields.map((_, index) => `#f${index} = :v${index}`);
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${[...assignments, 'observedAt = :observedAt', 'updatedAt = :now'].join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...values,
          ...conditionValues,
          ':observedAt': observedAt.toISOString(),
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes ?? {};
  } catch (error) {
    if (error instanceof TransactionConflictException) throw concurrentModification();
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const standing = fromAttributeValues(error.Item);
    if (!standing) throw error;
    return standing;
  }
}
