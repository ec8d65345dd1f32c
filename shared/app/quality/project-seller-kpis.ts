import type { DynamoDBRecord } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { orderEntity } from '#shared/store/entities/order.ts';
import { reviewEntity } from '#shared/store/entities/review.ts';
import type { SellerKpiStore } from '#shared/store/seller-kpi-store.ts';
import { streamImage } from '#shared/streams/batch.ts';
import { evaluateSeller, type QualityDependencies } from './evaluate-seller.ts';
import { type KpiSourceChange, sellerKpiChangeOf } from './seller-kpi-changes.ts';

/** The change a stream record carries, if it is one of an item the KPI projection reads. */
export function kpiSourceChangeOf(record: DynamoDBRecord): KpiSourceChange | undefined {
  const sourceId = record.eventID ?? '';
  const order = streamImage(record, 'NewImage', orderEntity);
  if (order) return { kind: 'order', sourceId, after: order, ...beforeOf(record, orderEntity) };
  const review = streamImage(record, 'NewImage', reviewEntity);
  if (review) return { kind: 'review', sourceId, after: review, ...beforeOf(record, reviewEntity) };
  return undefined;
}

function beforeOf<T>(record: DynamoDBRecord, entity: Parameters<typeof streamImage<T>>[2]) {
  const before = streamImage(record, 'OldImage', entity);
  return before === undefined ? {} : { before };
}

export interface ProjectionDependencies extends QualityDependencies {
  readonly kpis: QualityDependencies['kpis'] & Pick<SellerKpiStore, 'apply'>;
}

/**
 * Applies decoded stream changes, in order, to their sellers' dashboards and KPI counters (each
 * once, however often it is delivered), then evaluates the quality rules of each seller whose
 * counters changed, once per batch. Answers the position of the first change to deliver again, if
 * one failed: a change that could not be applied, or the first change of a seller whose evaluation
 * failed (applied again, it changes nothing; its seller is evaluated again).
 */
export async function projectSellerKpis(
  changes: readonly (KpiSourceChange | undefined)[],
  deps: ProjectionDependencies,
  now = new Date(),
): Promise<number | undefined> {
  let failedAt: number | undefined;
  const firstChangeOf = new Map<string, number>();
  for (const [position, change] of changes.entries()) {
    const sellerChange = change && sellerKpiChangeOf(change);
    if (!sellerChange) continue;
    try {
      await deps.kpis.apply(sellerChange, now);
    } catch (error) {
      logger.error('applying a change to seller KPIs failed', { sourceId: sellerChange.sourceId, error });
      failedAt = position;
      break;
    }
    if (sellerChange.day && !firstChangeOf.has(sellerChange.sellerId)) {
      firstChangeOf.set(sellerChange.sellerId, position);
    }
  }
  for (const [sellerId, position] of firstChangeOf) {
    try {
      await evaluateSeller(sellerId, deps, now);
    } catch (error) {
      logger.error('evaluating quality rules failed', { sellerId, error });
      failedAt = Math.min(failedAt ?? position, position);
    }
  }
  return failedAt;
}
