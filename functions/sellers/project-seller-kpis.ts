import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { sellerKpiStore } from '#shared/app/composition/stores/seller-kpi-store.ts';
import { sellerQualityStore } from '#shared/app/composition/stores/seller-quality-store.ts';
import { kpiSourceChangeOf, projectSellerKpis } from '#shared/app/quality/project-seller-kpis.ts';

/**
 * Keeps sellers' dashboards and quality KPIs from the table's stream (order and review changes) and
 * evaluates the quality rules of the sellers whose KPIs changed.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failedAt = await projectSellerKpis(event.Records.map(kpiSourceChangeOf), {
    kpis: sellerKpiStore,
    quality: sellerQualityStore,
  });
  const failed = failedAt === undefined ? undefined : event.Records[failedAt];
  return { batchItemFailures: failed ? [{ itemIdentifier: failed.dynamodb?.SequenceNumber ?? '' }] : [] };
}
