import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { listingKey, sellerListingsPartition } from './entities/listing.ts';
import { queryPages } from './query-page.ts';

/** Listing updates in flight at once while a seller's listings are marked. */
const concurrency = 10;

/**
 * Marks every listing of the seller as suspended with them, or no longer, each in a new version so
 * that the search index takes the change. A listing already marked as asked is left alone, so
 * marking again after an interruption finishes the work. Answers how many listings changed.
 */
export async function markSellerListings(
  client: DynamoDBDocumentClient,
  tableName: string,
  sellerId: string,
  suspended: boolean,
  now = new Date(),
): Promise<number> {
  let changed = 0;
  const pages = queryPages(client, {
    TableName: tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
    ExpressionAttributeValues: { ':pk': sellerListingsPartition(sellerId).GSI1PK, ':prefix': 'LISTING#' },
    ProjectionExpression: 'id',
  });
  for await (const page of pages) {
    const ids = page.map((item) => String(item.id));
    for (let start = 0; start < ids.length; start += concurrency) {
      const marked = await Promise.all(
        ids.slice(start, start + concurrency).map((id) => markListing(client, tableName, id, suspended, now)),
      );
      changed += marked.filter(Boolean).length;
    }
  }
  return changed;
}

async function markListing(
  client: DynamoDBDocumentClient,
  tableName: string,
  listingId: string,
  suspended: boolean,
  now: Date,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: listingKey(listingId),
        UpdateExpression: `${suspended ? 'SET sellerSuspended = :true,' : 'REMOVE sellerSuspended SET'} version = version + :one, updatedAt = :now`,
        ConditionExpression: suspended
          ? 'attribute_exists(PK) AND attribute_not_exists(sellerSuspended)'
          : 'attribute_exists(sellerSuspended)',
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now.toISOString(),
          ...(suspended ? { ':true': true } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
