import { DomainError } from '../../domain/errors.ts';
import type { PayoutLineStatus, PayoutPolicy, PayoutRunStatus, SkipReason } from '../../domain/payout-run.ts';

export interface RunSelection {
  readonly eligibleCount: number;
  readonly eligibleAmount: number;
  /** Sellers with at least the minimum available who are not paid, by reason. */
  readonly skipped: Partial<Record<SkipReason, number>>;
}

export interface RunApproval {
  readonly required: boolean;
  /**
   * What the currency's runs started in the 24 hours before this one paid or may still pay, which
   * counts with this run's total against the threshold.
   */
  readonly recentTotal?: number;
  /** Until when the run waits for a decision. */
  readonly deadline?: string;
  readonly decision?: 'approved' | 'rejected';
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly reason?: string;
}

export interface RunProgress {
  readonly paid: number;
  readonly paidAmount: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface PayoutRun {
  readonly runId: string;
  readonly currency: string;
  readonly dryRun: boolean;
  /** Only money that became available before this instant is paid. */
  readonly cutoff?: string;
  readonly status: PayoutRunStatus;
  /** The finance user who started it, or `schedule` for a scheduled run. */
  readonly startedBy: string;
  readonly policy: PayoutPolicy;
  /** How many sellers are paid at once. */
  readonly concurrency: number;
  readonly approvalTimeoutSeconds: number;
  /** What started it, so a repeated start with other terms is refused. */
  readonly fingerprint: string;
  readonly selection?: RunSelection;
  readonly approval?: RunApproval;
  /** The token of the task waiting for approval: never shown, it would let anyone resume the run. */
  readonly approvalToken?: string;
  /** The execution whose task waits for approval: only its timeout may expire the run. */
  readonly approvalExecution?: string;
  /** The first failed lines, once the run is over (all of them are in its report). */
  readonly failures?: PayoutFailureRecord[];
  readonly progress: RunProgress;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
}

export interface PayoutFailureRecord {
  readonly sellerId: string;
  readonly amount: number;
  readonly code: string;
  readonly message: string;
}

export type NewPayoutRun = Omit<PayoutRun, 'status' | 'progress' | 'updatedAt' | 'selection' | 'approval'>;

export interface PayoutLine {
  readonly runId: string;
  readonly sellerId: string;
  readonly currency: string;
  readonly status: PayoutLineStatus;
  /** What the selection found payable. */
  readonly plannedAmount: number;
  /** What is transferred: the planned amount, or less if the seller's balance fell meanwhile. */
  readonly amount?: number;
  readonly stripeAccountId?: string;
  readonly skipReason?: SkipReason;
  /** Stripe's transfer, once made, and when the line learnt of it. */
  readonly transferId?: string;
  readonly paidAt?: string;
  /** Why Stripe refused the transfer, after its retries. */
  readonly failure?: { readonly code: string; readonly message: string };
  /** The seller's latest bank payout after this transfer, as Stripe reported it. */
  readonly bankPayout?: {
    readonly payoutId: string;
    readonly status: string;
    readonly failureCode: string | null;
    readonly failureMessage: string | null;
  };
  readonly runCreatedAt: string;
  readonly updatedAt: string;
}

export class PayoutRunNotFound extends DomainError {
  constructor(runId: string) {
    super('not-found', 'payout_run_not_found', `No payout run ${runId}.`);
  }
}

/** A line's change was refused: it was not in the status the change expected. Read it again. */
export class LineMoved extends Error {
  constructor(readonly line: PayoutLine | undefined) {
    super(`The payout line is ${line?.status ?? 'missing'}`);
    this.name = 'LineMoved';
  }
}
