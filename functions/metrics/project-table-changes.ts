import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { marketplaceMetricsStore } from '#shared/app/composition/stores/marketplace-metrics-store.ts';
import { marketplaceMetricsProjection } from '#shared/app/metrics/metrics-projection.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { tableChangesOf } from '#shared/streams/table-changes.ts';

const projection = marketplaceMetricsProjection(marketplaceMetricsStore);

/**
 * Adds the batch's ledger postings, order changes and paid payout lines to the operator metrics. A
 * batch that fails is retried whole from its first record: records counted already add nothing.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  try {
    const changes = tableChangesOf(event.Records);
    await projection.project(changes);
    logger.info('metrics projected', { records: event.Records.length, changes: changes.length });
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('projecting metrics failed', { error });
    const [first] = event.Records;
    return { batchItemFailures: [{ itemIdentifier: first?.dynamodb?.SequenceNumber ?? '' }] };
  }
});
