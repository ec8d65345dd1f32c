import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerTransaction } from '../../domain/ledger/transaction.ts';
import type { PayoutLineStatus, SkipReason } from '../../domain/payout-run.ts';
import type { TransactItem } from '../conditional.ts';
import type { HoldRelease, PayoutHold } from '../entities/payout-hold.ts';
import type { LedgerStore } from '../ledger-store.ts';
import type { Page } from '../query-page.ts';
import { recentTotal } from './approval-window.ts';
import { fail, markPaid, type PayoutLineLedger, recordBankPayout, reserve, skip } from './line-payments.ts';
import { addLine, allLines, getLine, linePage, sellerPayouts } from './lines.ts';
import { payoutHold, placePayoutHold, releasePayoutHold, sellersOnHold } from './payout-holds.ts';
import type {
  NewPayoutRun,
  PayoutFailureRecord,
  PayoutLine,
  PayoutRun,
  RunApproval,
  RunSelection,
} from './run-and-line-types.ts';
import { awaitApproval, decide, expireApproval, finishRun, recordSelection } from './run-lifecycle.ts';
import { createRun, getRun, listRuns, requireRun, unfinishedRuns } from './runs.ts';

/**
 * Payout runs, their lines and progress, the one active run per currency, and sellers' payout holds.
 * Each method delegates to the module of its concept in this folder; see ../README.md for the access patterns.
 */
export class PayoutRunStore {
  private readonly table: PayoutLineLedger;

  constructor(client: DynamoDBDocumentClient, tableName: string, ledger: LedgerStore) {
    this.table = { client, tableName, ledger };
  }

  create(run: NewPayoutRun, idempotencyClaim?: TransactItem): Promise<'created' | 'exists'> {
    return createRun(this.table, run, idempotencyClaim);
  }

  get(runId: string): Promise<PayoutRun | undefined> {
    return getRun(this.table, runId);
  }

  require(runId: string): Promise<PayoutRun> {
    return requireRun(this.table, runId);
  }

  list(limit: number, cursor?: string): Promise<Page<Omit<PayoutRun, 'progress'>>> {
    return listRuns(this.table, limit, cursor);
  }

  unfinished(): AsyncGenerator<Omit<PayoutRun, 'progress'>> {
    return unfinishedRuns(this.table);
  }

  addLine(run: PayoutRun, line: Omit<PayoutLine, 'runId' | 'currency' | 'runCreatedAt' | 'updatedAt'>) {
    return addLine(this.table, run, line);
  }

  recordSelection(
    run: PayoutRun,
    selection: RunSelection,
    next: 'awaiting-approval' | 'paying' | 'completed',
    approval: RunApproval,
  ): Promise<void> {
    return recordSelection(this.table, run, selection, next, approval);
  }

  /** What the currency's runs started after `since` paid or may still pay. */
  recentTotal(currency: string, since: string): Promise<number> {
    return recentTotal(this.table, currency, since);
  }

  awaitApproval(
    run: PayoutRun,
    wait: { readonly token: string; readonly execution: string; readonly deadline: string },
  ): Promise<void> {
    return awaitApproval(this.table, run, wait);
  }

  decide(run: PayoutRun, approval: RunApproval & { readonly decidedBy: string }): Promise<void> {
    return decide(this.table, run, approval);
  }

  expireApproval(runId: string, execution: string): Promise<Omit<PayoutRun, 'progress'>> {
    return expireApproval(this.table, runId, execution);
  }

  finish(
    run: PayoutRun,
    outcome: 'completed' | 'expired' | 'rejected',
    failures: PayoutFailureRecord[],
  ): Promise<void> {
    return finishRun(this.table, run, outcome, failures);
  }

  line(runId: string, sellerId: string): Promise<PayoutLine | undefined> {
    return getLine(this.table, runId, sellerId);
  }

  lines(
    runId: string,
    options: { limit: number; cursor?: string; status?: PayoutLineStatus },
  ): Promise<Page<PayoutLine>> {
    return linePage(this.table, runId, options);
  }

  allLines(runId: string): AsyncGenerator<PayoutLine[]> {
    return allLines(this.table, runId);
  }

  sellerPayouts(sellerId: string, limit: number, cursor?: string): Promise<Page<PayoutLine>> {
    return sellerPayouts(this.table, sellerId, limit, cursor);
  }

  reserve(
    line: PayoutLine,
    payment: { readonly amount: number; readonly stripeAccountId: string },
    transfer: LedgerTransaction,
  ): Promise<void> {
    return reserve(this.table, line, payment, transfer);
  }

  markPaid(line: PayoutLine, transferId: string): Promise<void> {
    return markPaid(this.table, line, transferId);
  }

  skip(line: PayoutLine, skipReason: SkipReason): Promise<void> {
    return skip(this.table, line, skipReason);
  }

  fail(
    line: PayoutLine,
    failure: { code: string; message: string },
    reversal: LedgerTransaction | undefined,
  ): Promise<void> {
    return fail(this.table, line, failure, reversal);
  }

  recordBankPayout(line: PayoutLine, bankPayout: NonNullable<PayoutLine['bankPayout']>): Promise<void> {
    return recordBankPayout(this.table, line, bankPayout);
  }

  hold(sellerId: string): Promise<PayoutHold | undefined> {
    return payoutHold(this.table, sellerId);
  }

  placeHold(sellerId: string, hold: { reason: string; by: string }): Promise<void> {
    return placePayoutHold(this.table, sellerId, hold);
  }

  releaseHold(
    sellerId: string,
    release: Omit<HoldRelease, 'at'>,
  ): Promise<PayoutHold & { released: HoldRelease }> {
    return releasePayoutHold(this.table, sellerId, release);
  }

  sellersOnHold(sellerIds: readonly string[]): Promise<Set<string>> {
    return sellersOnHold(this.table, sellerIds);
  }
}
