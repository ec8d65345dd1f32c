import {
  type AttributeValue,
  ConditionalCheckFailedException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DomainError } from '../domain/errors.ts';

/**
 * The item is part of a transaction running right now (DynamoDB Local never raises this; DynamoDB
 * does). Nothing was written, so the client may simply retry.
 */
export const concurrentModification = () =>
  new DomainError(
    'conflict',
    'concurrent_modification',
    'The item is being changed by another request; retry.',
  );

/**
 * Runs a conditional write that asked for ReturnValuesOnConditionCheckFailure = ALL_OLD. When the
 * condition fails, `explain` receives the item as it was (undefined if absent) and must throw the
 * error that says why; other errors pass through.
 */
export async function conditionalWrite<T>(
  write: () => Promise<T>,
  explain: (current: Record<string, unknown> | undefined) => never,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof TransactionConflictException) throw concurrentModification();
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return explain(fromAttributeValues(error.Item));
  }
}

/** Items inside DynamoDB errors are not unmarshalled by the document client. */
export function fromAttributeValues(item: Record<string, AttributeValue> | undefined) {
  return item ? unmarshall(item) : undefined;
}

/** One action of a TransactWriteItems request, as the document client takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An update's expressions, without the table and key its store supplies. */
export type ItemUpdate = Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>;
