import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../logger.ts';

/**
 * Handles the messages of an SQS batch independently and at once: a standard queue keeps no order.
 * Each failure is reported by message id (partial batch response), so only the failed messages
 * return to the queue, to be received again and, after the last receive, dead-lettered.
 */
export async function handleEachMessage(
  event: SQSEvent,
  what: string,
  handle: (record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  const outcomes = await Promise.allSettled(event.Records.map(handle));
  const batchItemFailures = event.Records.flatMap((record, index) => {
    const outcome = outcomes[index];
    if (outcome?.status !== 'rejected') return [];
    logger.error(`${what} failed`, {
      error: outcome.reason,
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
    });
    return [{ itemIdentifier: record.messageId }];
  });
  return { batchItemFailures };
}
