import type { Caller } from './caller.ts';
import { DomainError } from './errors.ts';
import type { Order, OrderChange } from './order.ts';
import { inDisputeStep } from './order-disputes.ts';
import { partiesOf } from './order-parties.ts';

/** Statements a party may add to one dispute: enough to make a case, not enough to flood it. */
export const maxEvidencePerParty = 20;

/** A party's statement in a dispute, with links to its evidence (stored, never fetched). */
export interface DisputeEvidence {
  readonly id: string;
  readonly orderId: string;
  readonly party: string;
  readonly userId: string;
  readonly statement: string;
  readonly evidenceUrls: readonly string[];
  readonly at: string;
}

/** The party the caller speaks for: their own side of the order, else (admins) the admin's. */
export function evidenceParty(order: Order, caller: Caller): string {
  const parties = partiesOf(order, caller);
  return parties.find((party) => party !== 'admin') ?? parties[0] ?? 'admin';
}

/**
 * Until when `party` may add evidence: its response deadline if the dispute step gives it one, else
 * the step's deadline. None before the workflow's wait at the step has begun: nothing has run out.
 */
export const responseDeadlineOf = (order: Order, party: string): string | undefined =>
  order.dispute?.responseDeadlines?.[party] ?? order.deadline;

/** Every party's response deadline, the admin's (the step's) included. */
export function responseDeadlines(order: Order): Record<string, string> {
  return Object.fromEntries(
    [...Object.keys(order.parties), 'admin'].flatMap((party) => {
      const deadline = responseDeadlineOf(order, party);
      return deadline ? [[party, deadline]] : [];
    }),
  );
}

export const disputeNotOpen = (orderId: string) =>
  new DomainError('conflict', 'dispute_not_open', `Order ${orderId} is not waiting at a dispute step.`);

/**
 * Counts `evidence` on the order's open dispute. Outside a dispute step, after the party's response
 * deadline or past the party's cap: 409, and nothing changes.
 */
export function recordEvidence(order: Order, evidence: DisputeEvidence, now: Date): OrderChange {
  const { dispute } = order;
  if (!dispute || !inDisputeStep(order)) throw disputeNotOpen(order.id);
  const deadline = responseDeadlineOf(order, evidence.party);
  if (deadline !== undefined && now.getTime() >= Date.parse(deadline)) {
    throw new DomainError(
      'conflict',
      'response_deadline_passed',
      `The ${evidence.party}'s time to add evidence to this dispute ended at ${deadline}.`,
    );
  }
  const added = dispute.evidence[evidence.party] ?? 0;
  if (added >= maxEvidencePerParty) {
    throw new DomainError(
      'conflict',
      'evidence_limit_reached',
      `The ${evidence.party} has added ${maxEvidencePerParty} statements to this dispute, the most it takes.`,
    );
  }
  return {
    order: {
      ...order,
      dispute: { ...dispute, evidence: { ...dispute.evidence, [evidence.party]: added + 1 } },
    },
  };
}
