import { platform } from '../balances.ts';
import { secondsPerDay } from '../clock.ts';
import type { OperationContext } from '../context.ts';
import { invalidRequest } from '../errors.ts';
import { newId } from '../ids.ts';
import type { SimDispute } from '../objects.ts';
import { found } from '../state.ts';
import { chargeOf, unrefunded } from './charges.ts';

const openStatuses: readonly SimDispute['status'][] = ['needs_response', 'under_review'];
const evidenceWindowSeconds = 7 * secondsPerDay;

export const retrieveDispute = (context: OperationContext, id: string): SimDispute =>
  found(context.state.disputes, id, 'dispute', 'dispute');

/** The charge's dispute still awaiting a decision, if any. */
export function openDisputeOn(context: OperationContext, chargeId: string): SimDispute | undefined {
  for (const dispute of context.state.disputes.values()) {
    if (dispute.charge === chargeId && openStatuses.includes(dispute.status)) return dispute;
  }
  return undefined;
}

export interface DisputeOptions {
  /** Defaults to everything captured and not refunded. */
  readonly amount?: number;
  readonly reason?: string;
}

/** The buyer's bank opened a chargeback: Stripe takes the disputed amount from the platform balance. */
export function openDispute(context: OperationContext, paymentId: string, options: DisputeOptions = {}) {
  const charge = chargeOf(context, paymentId, 'charge');
  const disputable = unrefunded(charge);
  const amount = options.amount ?? disputable;
  const open = openDisputeOn(context, charge.id);
  if (open) throw invalidRequest(`Charge ${charge.id} already has an open dispute, ${open.id}.`);
  if (amount < 1 || amount > disputable) {
    throw invalidRequest(
      `Charge ${charge.id} has ${disputable} captured and unrefunded; ${amount} cannot be disputed.`,
    );
  }
  const created = context.clock.now();
  const dispute: SimDispute = {
    id: newId('dp'),
    object: 'dispute',
    amount,
    charge: charge.id,
    created,
    currency: charge.currency,
    evidence_details: {
      due_by: created + evidenceWindowSeconds,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: options.reason ?? 'fraudulent',
    status: 'needs_response',
  };
  context.state.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  context.state.balances.add(platform, charge.currency, -amount);
  context.emit('charge.dispute.created', dispute);
  context.emit('charge.dispute.funds_withdrawn', dispute);
  return dispute;
}

/** The bank decided: a won dispute gives the amount back to the platform, a lost one keeps it. */
export function closeDispute(context: OperationContext, disputeId: string, outcome: 'won' | 'lost') {
  const dispute = retrieveDispute(context, disputeId);
  if (!openStatuses.includes(dispute.status)) {
    throw invalidRequest(`Dispute ${disputeId} is already closed as ${dispute.status}.`);
  }
  dispute.status = outcome;
  context.emit('charge.dispute.closed', dispute);
  if (outcome === 'won') {
    context.state.balances.add(platform, dispute.currency, dispute.amount);
    context.emit('charge.dispute.funds_reinstated', dispute);
  }
  return dispute;
}
