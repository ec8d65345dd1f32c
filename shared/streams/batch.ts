import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../logger.ts';

/** The record's new or old image as a plain item, if it has one and it is an `entity` item. */
export function streamImage<T>(record: DynamoDBRecord, image: 'NewImage' | 'OldImage', entity: string) {
  const attributes = record.dynamodb?.[image] as Record<string, AttributeValue> | undefined;
  if (!attributes) return undefined;
  const item = unmarshall(attributes);
  return item.entity === entity ? (item as T) : undefined;
}

/**
 * Handles a stream batch record by record, in order. At the first failure the rest of the batch is
 * handed back (partial batch response), so Lambda retries from that record and never skips one.
 */
export async function handleInOrder(
  event: DynamoDBStreamEvent,
  what: string,
  handle: (record: DynamoDBRecord) => Promise<void>,
): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    try {
      await handle(record);
    } catch (error) {
      logger.error(`${what} failed`, { error, sequenceNumber: record.dynamodb?.SequenceNumber });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
