import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import type { LedgerTransaction } from '../../domain/ledger/transaction.ts';
import type { FinalLineStatus, PayoutLineStatus, SkipReason } from '../../domain/payout-run.ts';
import type { TransactItem } from '../conditional.ts';
import { decodeIfPresent } from '../entities/entity.ts';
import { payoutLineEntity, payoutLineKey, sellerPayoutIndexKeys } from '../entities/payout-line.ts';
import { payoutRunKey } from '../entities/payout-run.ts';
import { type LedgerWrite, ledgerCancellation } from '../ledger-postings.ts';
import type { LedgerStore } from '../ledger-store.ts';
import { TransactionPlan } from '../transaction.ts';
import { countLineProgress } from './progress-shards.ts';
import { LineMoved, type PayoutLine } from './run-and-line-types.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

type LineWrite = 'runIsPaying' | 'line' | 'progress' | LedgerWrite;

/** The payout-run table and the ledger whose transfers a line posts in its own transactions. */
export interface PayoutLineLedger extends PayoutRunTable {
  readonly ledger: LedgerStore;
}

/**
 * planned → transferring: fixes the amount and posts the ledger transfer, while the run is paying.
 * The ledger refuses a transfer the seller's available balance no longer covers.
 */
export const reserve = async (
  table: PayoutLineLedger,
  line: PayoutLine,
  payment: { readonly amount: number; readonly stripeAccountId: string },
  transfer: LedgerTransaction,
): Promise<void> => {
  const plan = new TransactionPlan<LineWrite>()
    .add('runIsPaying', {
      ConditionCheck: {
        TableName: table.tableName,
        Key: payoutRunKey(line.runId),
        ConditionExpression: '#status = :paying',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':paying': 'paying' },
      },
    })
    .add('line', lineUpdate(table, line, 'planned', { status: 'transferring', ...payment }));
  table.ledger.addPosting(plan, transfer);
  await lineTransaction(table, line, plan, transfer);
};

/** transferring → paid, with Stripe's transfer. */
export const markPaid = async (
  table: PayoutLineLedger,
  line: PayoutLine,
  transferId: string,
): Promise<void> => {
  await finishLine(table, line, 'transferring', {
    status: 'paid',
    transferId,
    paidAt: new Date().toISOString(),
  });
};

/** planned → skipped: the seller may not be paid after all. */
export const skip = async (
  table: PayoutLineLedger,
  line: PayoutLine,
  skipReason: SkipReason,
): Promise<void> => {
  await finishLine(table, line, 'planned', { status: 'skipped', skipReason });
};

/** → failed, with the reversal of the ledger transfer when one was posted. */
export const fail = async (
  table: PayoutLineLedger,
  line: PayoutLine,
  failure: { code: string; message: string },
  reversal: LedgerTransaction | undefined,
): Promise<void> => {
  await finishLine(table, line, line.status, { status: 'failed', failure }, reversal);
};

/** The bank payout Stripe made from the seller's connected account after these transfers. */
export const recordBankPayout = async (
  { client, tableName }: PayoutRunTable,
  line: PayoutLine,
  bankPayout: NonNullable<PayoutLine['bankPayout']>,
): Promise<void> => {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: payoutLineKey(line.runId, line.sellerId),
      UpdateExpression: 'SET bankPayout = :bankPayout, updatedAt = :now',
      ConditionExpression: '#status = :paid',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':bankPayout': bankPayout,
        ':now': new Date().toISOString(),
        ':paid': 'paid',
      },
    }),
  );
};

const finishLine = async (
  table: PayoutLineLedger,
  line: PayoutLine,
  from: PayoutLineStatus,
  change: { status: FinalLineStatus } & Partial<PayoutLine>,
  ledgerTransaction?: LedgerTransaction,
): Promise<void> => {
  const plan = new TransactionPlan<LineWrite>()
    .add('line', lineUpdate(table, line, from, change))
    .add('progress', countLineProgress(table, line, change.status));
  if (ledgerTransaction) table.ledger.addPosting(plan, ledgerTransaction);
  await lineTransaction(table, line, plan, ledgerTransaction);
};

/** A line leaving `planned` joins its seller's payouts (a run selected, never paid, is not a payout). */
const lineUpdate = (
  { tableName }: PayoutRunTable,
  line: PayoutLine,
  from: PayoutLineStatus,
  change: Partial<PayoutLine>,
): TransactItem => {
  const attributes = {
    ...change,
    ...(from === 'planned' ? sellerPayoutIndexKeys(line) : {}),
    updatedAt: new Date().toISOString(),
  };
  const names = Object.keys(attributes);
  return {
    Update: {
      TableName: tableName,
      Key: payoutLineKey(line.runId, line.sellerId),
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: {
        ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
        '#status': 'status',
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`:${name}`, value])),
        ':from': from,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
};

/**
 * Writes the line's change (`plan`, the line update among it) in one transaction. Throws LineMoved
 * when the line had left the status its update expects, the ledger's error when a transfer is not
 * covered, and concurrent_modification when another transaction held the items.
 */
const lineTransaction = async (
  { client }: PayoutRunTable,
  line: PayoutLine,
  plan: TransactionPlan<LineWrite>,
  ledgerTransaction: LedgerTransaction | undefined,
): Promise<void> => {
  const cancelled = await plan.write(client);
  if (!cancelled) return;
  const [moved] = cancelled.failedAt('line');
  if (moved) throw new LineMoved(decodeIfPresent(payoutLineEntity, moved.current));
  if (cancelled.has('runIsPaying')) {
    throw new DomainError('conflict', 'payout_run_not_paying', `Payout run ${line.runId} is not paying.`);
  }
  // Throws insufficient_balance; 'already-posted' cannot be: the line's status guards the posting.
  if (ledgerTransaction) ledgerCancellation(ledgerTransaction, cancelled);
  throw cancelled.unexplained();
};
