import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { marketplaceMetricsStore } from '#shared/app/composition/stores/marketplace-metrics-store.ts';
import { sellerKpiStore } from '#shared/app/composition/stores/seller-kpi-store.ts';
import { sellerQualityStore } from '#shared/app/composition/stores/seller-quality-store.ts';
import { marketplaceMetricsProjection } from '#shared/app/metrics/metrics-projection.ts';
import { kpiSourceChangeOf, projectSellerKpis } from '#shared/app/quality/project-seller-kpis.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { tableChangesOf } from '#shared/streams/table-changes.ts';

const metrics = marketplaceMetricsProjection(marketplaceMetricsStore);

/** Adds the whole batch to the operator metrics; answers 0, the first position, if that failed. */
async function projectMetrics(event: DynamoDBStreamEvent): Promise<number | undefined> {
  try {
    await metrics.project(tableChangesOf(event.Records));
    return undefined;
  } catch (error) {
    logger.error('projecting metrics failed', { error });
    return 0;
  }
}

/**
 * Adds the batch's changes to the operator metrics and to the sellers' dashboards and quality KPIs,
 * then evaluates the quality rules of the sellers whose KPIs changed. Both projections count each
 * record once, so the batch delivered again from the first position either failed at adds nothing
 * either counted already.
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const [metricsFailedAt, kpisFailedAt] = await Promise.all([
    projectMetrics(event),
    projectSellerKpis(event.Records.map(kpiSourceChangeOf), {
      kpis: sellerKpiStore,
      quality: sellerQualityStore,
    }),
  ]);
  const failures = [metricsFailedAt, kpisFailedAt].filter((position) => position !== undefined);
  const failed = failures.length === 0 ? undefined : event.Records[Math.min(...failures)];
  logger.info('table changes projected', { records: event.Records.length, failedAt: failed?.eventID });
  return { batchItemFailures: failed ? [{ itemIdentifier: failed.dynamodb?.SequenceNumber ?? '' }] : [] };
});
