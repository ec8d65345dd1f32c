import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys per request. */
const batchSize = 100;

/** Tries of the keys DynamoDB leaves unprocessed (it throttles), with exponential backoff. */
const maxTries = 6;

/**
 * The items of `itemKeys` that exist, strongly consistent, in BatchGetItem requests of 100 keys;
 * keys DynamoDB leaves unprocessed are asked for again after a backoff.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  itemKeys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < itemKeys.length; start += batchSize) {
    let requested: Record<string, unknown>[] = itemKeys.slice(start, start + batchSize);
    for (let attempt = 0; requested.length > 0; attempt++) {
      if (attempt >= maxTries)
        throw new Error(`DynamoDB left ${requested.length} keys unread after ${maxTries} tries`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const response = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: requested, ConsistentRead: true } } }),
      );
      items.push(...(response.Responses?.[tableName] ?? []));
      requested = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
