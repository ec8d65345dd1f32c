import type { Order, OrderStatus } from '#shared/domain/order.ts';
import { processOf } from '#shared/domain/processes.ts';
import type { Review } from '#shared/domain/review.ts';
import {
  acceptanceBucketOf,
  isEmpty,
  type KpiCounters,
  noCounters,
  utcDayOf,
} from '#shared/domain/seller-kpis.ts';
import { awaitedStep } from '#shared/events/order-events.ts';
import type { WaitingOrder } from '#shared/store/entities/seller-kpis.ts';
import type { SellerKpiChange } from '#shared/store/seller-kpi-store.ts';

/** A change of an item the KPI projection reads, decoded from a stream record (`sourceId`: its id). */
export type KpiSourceChange =
  | { readonly kind: 'order'; readonly sourceId: string; readonly before?: Order; readonly after: Order }
  | { readonly kind: 'review'; readonly sourceId: string; readonly before?: Review; readonly after: Review };

const counting = (counts: Partial<Omit<KpiCounters, 'acceptanceTimes'>>, acceptedAfter?: number) => ({
  ...noCounters,
  ...counts,
  acceptanceTimes: noCounters.acceptanceTimes.map((_, bucket) =>
    acceptedAfter !== undefined && acceptanceBucketOf(acceptedAfter) === bucket ? 1 : 0,
  ),
});

/** The step the order waits at for its seller themself, if it does. */
function waitingOf(order: Order): WaitingOrder | undefined {
  const awaited = awaitedStep(order);
  if (!awaited || order.parties[awaited.step.party] !== order.sellerId) return undefined;
  return {
    sellerId: order.sellerId,
    orderId: order.id,
    step: awaited.step.name,
    deadline: awaited.deadline,
    currency: order.currency,
    total: order.total,
  };
}

/**
 * The counters a decision at the step the order waited at adds: leaving an acceptance step (the
 * process's first step, when the seller's) decides acceptance; leaving the shipping step by shipping,
 * or cancelled at or past its deadline (its timeout), is a shipment due, late when past the deadline.
 */
function stepDecisionCounters(
  before: Order,
  after: Order,
): Partial<KpiCounters> & { acceptedAfter?: number } {
  const decided =
    before.status === 'in-progress' &&
    before.pending === undefined &&
    before.captureThen === undefined &&
    after.pending !== undefined;
  if (!decided || before.stepIndex === undefined || !before.deadline) return {};
  const process = processOf(before.process);
  const step = process.steps[before.stepIndex];
  if (!step) return {};
  const at = Date.parse(after.updatedAt);
  const deadline = Date.parse(before.deadline);
  const forward = after.pending?.next !== 'cancel';
  if (before.stepIndex === 0 && step.party === 'seller') {
    const waitedSince = deadline - step.timeoutSeconds * 1000;
    return forward
      ? { acceptanceDecisions: 1, accepted: 1, acceptedAfter: Math.max(0, (at - waitedSince) / 1000) }
      : { acceptanceDecisions: 1 };
  }
  if (step.name === process.shipmentStep) {
    if (forward) return { shipmentsDue: 1, lateShipments: at > deadline ? 1 : 0 };
    if (at >= deadline) return { shipmentsDue: 1, lateShipments: 1 };
  }
  return {};
}

const isClosed = (status: OrderStatus) => status === 'completed' || status === 'cancelled';

function orderChange(sourceId: string, before: Order | undefined, after: Order): SellerKpiChange {
  const { acceptedAfter, ...decision } = before ? stepDecisionCounters(before, after) : {};
  const closes = before?.status === 'in-progress' && isClosed(after.status);
  const counters = counting(
    {
      ...decision,
      received: before?.status === 'awaiting-payment' && after.status === 'in-progress' ? 1 : 0,
      closed: closes ? 1 : 0,
      cancelled: closes && after.status === 'cancelled' ? 1 : 0,
      disputes: after.dispute && after.dispute.openedAt !== before?.dispute?.openedAt ? 1 : 0,
      chargebacks: after.chargeback && !before?.chargeback ? 1 : 0,
    },
    acceptedAfter,
  );
  const statusMoves: Partial<Record<OrderStatus, number>> =
    before?.status === after.status ? {} : { ...(before ? { [before.status]: -1 } : {}), [after.status]: 1 };
  const [was, is] = [before && waitingOf(before), waitingOf(after)];
  const same = was && is && was.deadline === is.deadline && was.step === is.step;
  return {
    sourceId,
    sellerId: after.sellerId,
    ...(isEmpty(counters) ? {} : { day: { day: utcDayOf(after.updatedAt), counters } }),
    statusMoves,
    ...(was && !same ? { stopsWaiting: was } : {}),
    ...(is && !same ? { startsWaiting: is } : {}),
  };
}

/** A review of a seller counts on the day it was published, and is taken off that day when removed. */
function reviewChange(
  sourceId: string,
  before: Review | undefined,
  after: Review,
): SellerKpiChange | undefined {
  if (after.subject.party !== 'seller' || !after.publishedAt) return undefined;
  const published = before?.status !== 'published' && after.status === 'published';
  const removed = before?.status === 'published' && after.status === 'removed';
  if (!published && !removed) return undefined;
  const sign = published ? 1 : -1;
  return {
    sourceId,
    sellerId: after.subject.userId,
    day: {
      day: utcDayOf(after.publishedAt),
      counters: counting({ reviews: sign, ratingSum: sign * after.rating }),
    },
    statusMoves: {},
  };
}

/** What a change means for its seller's dashboard and KPIs; undefined when nothing. */
export function sellerKpiChangeOf(change: KpiSourceChange): SellerKpiChange | undefined {
  const projected =
    change.kind === 'order'
      ? orderChange(change.sourceId, change.before, change.after)
      : reviewChange(change.sourceId, change.before, change.after);
  const changesNothing =
    projected &&
    !projected.day &&
    Object.keys(projected.statusMoves).length === 0 &&
    !projected.stopsWaiting &&
    !projected.startsWaiting;
  return changesNothing ? undefined : projected;
}
