import { randomUUID } from 'node:crypto';
import type { Caller } from '#shared/domain/caller.ts';
import {
  type DisputeEvidence,
  evidenceParty,
  recordEvidence,
  responseDeadlines,
} from '#shared/domain/dispute-evidence.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { type Order, orderNotFound } from '#shared/domain/order.ts';
import {
  type DisputeSettlement,
  disputeQueueStanding,
  inDisputeStep,
} from '#shared/domain/order-disputes.ts';
import { canView } from '#shared/domain/order-parties.ts';
import { disputeStore } from '../composition/stores/dispute-store.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import { orderVisibleTo } from './order-view.ts';

export interface EvidenceInput {
  readonly statement: string;
  readonly evidenceUrls?: readonly string[];
}

/**
 * A party of the order (or an admin) adds a statement with evidence links to its open dispute. The
 * links are stored, never fetched. Counted on the order in the transaction that stores it, so the
 * dispute step, the party's deadline and cap are checked against the order as it is written.
 */
export async function addEvidence(orderId: string, caller: Caller, input: EvidenceInput) {
  const order = await orderVisibleTo(orderId, caller);
  const now = new Date();
  const evidence: DisputeEvidence = {
    id: randomUUID(),
    orderId: order.id,
    party: evidenceParty(order, caller),
    userId: caller.userId,
    statement: input.statement,
    evidenceUrls: input.evidenceUrls ?? [],
    at: now.toISOString(),
  };
  await orderStore.update(order.id, (current) => recordEvidence(current, evidence, now), {
    asRead: order,
    now,
    alsoWrite: () => [disputeStore.evidencePut(evidence)],
  });
  return toEvidenceView(evidence);
}

const toEvidenceView = ({ orderId: _orderId, ...evidence }: DisputeEvidence) => evidence;

const toSettlementView = ({ fingerprint: _fingerprint, ...settlement }: DisputeSettlement) => settlement;

/** What a dispute shows whoever may see it: where it stands, each party's deadline, its settlement. */
function disputeSummary(order: Order) {
  const { dispute } = order;
  if (!dispute) return undefined;
  const open = inDisputeStep(order);
  return {
    status: open ? ('open' as const) : ('closed' as const),
    step: dispute.step,
    openedAt: dispute.openedAt,
    openedBy: dispute.openedBy,
    ...(dispute.reason ? { reason: dispute.reason } : {}),
    ...(open ? { deadlines: responseDeadlines(order) } : {}),
    evidenceCount: dispute.evidence,
    ...(dispute.settlement ? { settlement: toSettlementView(dispute.settlement) } : {}),
  };
}

/** The order's dispute with its evidence, oldest first, for its parties and admins: one Query. */
export async function disputeOf(orderId: string, caller: Caller) {
  const found = await disputeStore.orderWithEvidence(orderId);
  if (!found || !canView(found.order, caller)) throw orderNotFound(orderId);
  const summary = disputeSummary(found.order);
  if (!summary) {
    throw new DomainError('not-found', 'dispute_not_found', `Order ${orderId} has had no dispute.`);
  }
  return {
    orderId: found.order.id,
    ...summary,
    evidence: found.evidence.filter((item) => item.at >= summary.openedAt).map(toEvidenceView),
  };
}

/** An order as the admins' dispute queue lists it: its dispute, its chargeback, or both. */
export function toDisputeQueueEntry(order: Order) {
  const dispute = disputeSummary(order);
  return {
    orderId: order.id,
    queue: disputeQueueStanding(order)?.status ?? 'closed',
    kinds: [...(dispute ? ['dispute' as const] : []), ...(order.chargeback ? ['chargeback' as const] : [])],
    orderStatus: order.status,
    currency: order.currency,
    total: order.total,
    buyerId: order.buyerId,
    sellerId: order.sellerId,
    ...(dispute ? { dispute } : {}),
    ...(order.chargeback ? { chargeback: order.chargeback } : {}),
  };
}
