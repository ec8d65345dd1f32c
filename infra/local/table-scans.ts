import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Listing } from '#shared/domain/listing.ts';
import type { Order } from '#shared/domain/order.ts';
import type { ReviewWindow } from '#shared/domain/review.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { listingEntity } from '#shared/store/entities/listing.ts';
import { orderEntity } from '#shared/store/entities/order.ts';
import { reviewWindowEntity } from '#shared/store/entities/review.ts';
import { stripeEventEntity } from '#shared/store/entities/stripe-event.ts';
import { type WebhookDelivery, webhookDeliveryEntity } from '#shared/store/entities/webhook-delivery.ts';

// Maintenance reads that Scan the table: never a request path, and none in a deployed function.

/** Runs `visit` on each item of every page `scan` yields, with a client of its own. */
export async function forEachScanned<T>(
  endpoint: string,
  scan: (client: DynamoDBDocumentClient) => AsyncGenerator<T[]>,
  visit: (item: T) => Promise<void>,
): Promise<void> {
  const client = createDocumentClient(endpoint);
  try {
    for await (const page of scan(client)) {
      for (const item of page) await visit(item);
    }
  } finally {
    client.destroy();
  }
}

const pageSize = 500;

async function* scanPages(
  client: DynamoDBDocumentClient,
  scan: Omit<ScanCommandInput, 'Limit' | 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new ScanCommand({ ...scan, Limit: pageSize, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    if (Items.length > 0) yield Items;
    startKey = LastEvaluatedKey;
  } while (startKey);
}

/** Every listing, a page at a time: for rebuilding the search index (here at start, and by infra/ops/reindex.ts). */
export async function* allListings(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<Listing[]> {
  for await (const items of scanPages(client, {
    TableName: tableName,
    FilterExpression: 'entity = :listing',
    ExpressionAttributeValues: { ':listing': listingEntity.name },
  })) {
    yield items.map((item) => listingEntity.decode(item));
  }
}

/**
 * Every order not yet completed or cancelled, for restarting the local workflow runner, whose
 * executions (unlike Step Functions') do not survive a restart.
 */
export async function* unfinishedOrders(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<Order[]> {
  for await (const items of scanPages(client, {
    TableName: tableName,
    FilterExpression: 'entity = :order AND NOT #status IN (:completed, :cancelled)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':order': orderEntity.name,
      ':completed': 'completed',
      ':cancelled': 'cancelled',
    },
    ConsistentRead: true,
  })) {
    yield items.map((item) => orderEntity.decode(item));
  }
}

/**
 * The ids of stored Stripe events not processed yet, for the local stack at start-up, whose local
 * SQS keeps messages in memory only, not across a restart as SQS does.
 */
export async function* unprocessedStripeEventIds(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<string[]> {
  for await (const items of scanPages(client, {
    TableName: tableName,
    FilterExpression: 'entity = :event AND attribute_not_exists(processedAt)',
    ExpressionAttributeValues: { ':event': stripeEventEntity.name },
    ConsistentRead: true,
  })) {
    yield items.map((item) => stripeEventEntity.decode(item).eventId);
  }
}

/** Every review window still open, for restarting its timer in the local workflow runner. */
export async function* openReviewWindows(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<ReviewWindow[]> {
  for await (const items of scanPages(client, {
    TableName: tableName,
    FilterExpression: 'entity = :window AND #status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':window': reviewWindowEntity.name, ':open': 'open' },
    ConsistentRead: true,
  })) {
    yield items.map((item) => reviewWindowEntity.decode(item));
  }
}

/**
 * Every webhook delivery still pending, for the local stack at start-up, whose local SQS lost the
 * messages of their next attempts when it stopped.
 */
export async function* pendingWebhookDeliveries(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<WebhookDelivery[]> {
  for await (const items of scanPages(client, {
    TableName: tableName,
    FilterExpression: 'entity = :delivery AND #status = :pending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':delivery': webhookDeliveryEntity.name, ':pending': 'pending' },
    ConsistentRead: true,
  })) {
    yield items.map((item) => webhookDeliveryEntity.decode(item));
  }
}
