import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

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
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return explain(fromAttributeValues(error.Item));
  }
}

/** Items inside DynamoDB errors are not unmarshalled by the document client. */
export function fromAttributeValues(item: Record<string, AttributeValue> | undefined) {
  return item ? unmarshall(item) : undefined;
}
