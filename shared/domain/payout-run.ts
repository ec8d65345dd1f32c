import { DomainError } from './errors.ts';

/**
 * A payout run moves what sellers have earned in one currency from the platform's Stripe balance to
 * their connected accounts: selected, approved when large, then paid seller by seller.
 *
 * selecting → awaiting-approval → paying → completed, or rejected / expired while awaiting approval.
 * A dry run goes from selecting to completed without moving money.
 */
export const payoutRunStatuses = [
  'selecting',
  'awaiting-approval',
  'paying',
  'completed',
  'rejected',
  'expired',
] as const;
export type PayoutRunStatus = (typeof payoutRunStatuses)[number];

const finalRunStatuses: readonly PayoutRunStatus[] = ['completed', 'rejected', 'expired'];
export const isFinalRunStatus = (status: PayoutRunStatus) => finalRunStatuses.includes(status);

/**
 * One seller's payout in a run. planned → transferring (the ledger transfer is posted and the
 * amount fixed) → paid (Stripe made the transfer) or failed (Stripe refused it; the ledger transfer
 * is reversed). planned → skipped when, at payment time, the seller may not be paid after all.
 */
export const payoutLineStatuses = ['planned', 'transferring', 'paid', 'failed', 'skipped'] as const;
export type PayoutLineStatus = (typeof payoutLineStatuses)[number];

const finalLineStatuses = ['paid', 'failed', 'skipped'] as const;
export type FinalLineStatus = (typeof finalLineStatuses)[number];
export const isFinalLineStatus = (status: PayoutLineStatus): status is FinalLineStatus =>
  (finalLineStatuses as readonly string[]).includes(status);

/** Why a seller with money available is not paid. */
export const skipReasons = [
  'payouts_disabled',
  'funds_frozen',
  'payout_hold',
  'below_minimum',
  'no_payments_account',
] as const;
export type SkipReason = (typeof skipReasons)[number];

/** The operator's payout policy, in minor units of the run's currency. */
export interface PayoutPolicy {
  /** A seller is paid only once this much is available. */
  readonly minimumPayout: number;
  /** A run taking what the currency's runs pay in 24 hours over this waits for a second finance user's approval. */
  readonly approvalThreshold: number;
}

/** What the run knows of a seller with money available when it decides whether to pay them. */
export interface PayoutCandidate {
  /** What the seller may be paid: their available balance, as of the cutoff if the run has one. */
  readonly payable: number;
  readonly frozen: number;
  /** Absent when the seller never started Stripe onboarding. */
  readonly account?: { readonly stripeAccountId: string; readonly payoutsEnabled: boolean };
  readonly onHold: boolean;
}

export type PayoutDecision =
  | { readonly pay: number; readonly stripeAccountId: string }
  | { readonly skip: SkipReason };

/**
 * Whether and how much to pay a seller. Sellers with funds frozen by a dispute are held back whole:
 * a lost dispute may cost them more than the frozen amount's fee, and the platform would have to
 * reverse transfers to recover it.
 */
export function decidePayout(candidate: PayoutCandidate, policy: PayoutPolicy): PayoutDecision {
  if (candidate.payable < Math.max(policy.minimumPayout, 1)) return { skip: 'below_minimum' };
  if (candidate.onHold) return { skip: 'payout_hold' };
  if (candidate.frozen > 0) return { skip: 'funds_frozen' };
  if (!candidate.account) return { skip: 'no_payments_account' };
  if (!candidate.account.payoutsEnabled) return { skip: 'payouts_disabled' };
  return { pay: candidate.payable, stripeAccountId: candidate.account.stripeAccountId };
}

/**
 * A seller's payout in a run, as the ledger's transfer id and as the Stripe transfer's idempotency
 * key: a retried or resumed run posts it once and pays it once.
 */
export const payoutTransferId = (runId: string, sellerId: string) => `payout:${runId}:${sellerId}`;

/** The Stripe transfer group of a run's transfers, by which a lost transfer is found again. */
export const payoutTransferGroup = (runId: string) => `payout-run:${runId}`;

/** The approval threshold applies to what a currency's runs pay in this long, not to each run alone. */
const approvalWindowMs = 24 * 60 * 60 * 1000;

/** Runs of the currency started after this instant count towards the threshold of a run started at `createdAt`. */
export const approvalWindowStart = (createdAt: string) =>
  new Date(Date.parse(createdAt) - approvalWindowMs).toISOString();

/**
 * Whether a run paying `total` waits for a second finance user: when it pays anything and, with
 * `recentTotal` (what the currency's runs of the last 24 hours paid or may still pay), exceeds the
 * threshold, so a large payout split into runs under it waits all the same.
 */
export const runNeedsApproval = (total: number, recentTotal: number, policy: PayoutPolicy) =>
  total > 0 && total + recentTotal > policy.approvalThreshold;

/** A second pair of eyes: the finance user who started a run may not approve it. */
export function checkApprover(startedBy: string, approver: string): void {
  if (startedBy === approver) {
    throw new DomainError(
      'forbidden',
      'approval_by_starter',
      'A payout run must be approved by another finance user than the one who started it.',
    );
  }
}

/** A hold is lifted by someone else than the seller it holds back, finance user or not. */
export function checkHoldReleaser(sellerId: string, releasedBy: string): void {
  if (sellerId === releasedBy) {
    throw new DomainError(
      'forbidden',
      'hold_release_by_held_seller',
      'A payout hold must be released by another user than the seller it holds back.',
    );
  }
}
