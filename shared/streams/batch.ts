import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../logger.ts';
import { correlated, correlationIdOfImage } from '../observability/correlation.ts';
import type { Entity } from '../store/entities/entity.ts';

/** The record's new or old image, decoded, if it has one and it is an item of `entity`. */
export function streamImage<T>(
  record: DynamoDBRecord,
  image: 'NewImage' | 'OldImage',
  entity: Entity<T>,
): T | undefined {
  const attributes = record.dynamodb?.[image] as Record<string, AttributeValue> | undefined;
  if (!attributes) return undefined;
  const item = unmarshall(attributes);
  return item.entity === entity.name ? entity.decode(item) : undefined;
}

/** The correlation id the change of this record was written under, from its new image. */
export const correlationIdOfRecord = (record: DynamoDBRecord) =>
  correlationIdOfImage(record.dynamodb?.NewImage as Record<string, { S?: string }> | undefined);

/**
 * Handles a stream batch record by record, in order, each as part of the correlation id its change
 * was written under. At the first failure the rest of the batch is handed back (partial batch
 * response), so Lambda retries from that record and never skips one.
 */
export async function handleInOrder(
  event: DynamoDBStreamEvent,
  what: string,
  handle: (record: DynamoDBRecord) => Promise<void>,
): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const failed = await correlated(correlationIdOfRecord(record), async () => {
      try {
        await handle(record);
        return false;
      } catch (error) {
        logger.error(`${what} failed`, { error, sequenceNumber: record.dynamodb?.SequenceNumber });
        return true;
      }
    });
    if (failed) return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
  }
  return { batchItemFailures: [] };
}
