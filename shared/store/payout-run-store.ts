import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { LedgerTransaction } from '../domain/ledger/transaction.ts';
import {
  type FinalLineStatus,
  isFinalRunStatus,
  type PayoutLineStatus,
  type PayoutPolicy,
  type PayoutRunStatus,
  type SkipReason,
} from '../domain/payout-run.ts';
import { batchGetAll } from './batch-get.ts';
import {
  concurrentModification,
  conditionalWrite,
  fromAttributeValues,
  type TransactItem,
} from './conditional.ts';
import { type LedgerStore, ledgerActionCount, ledgerCancellation } from './ledger-store.ts';
import { type Page, queryPage, queryPages } from './query-page.ts';
import { entities, keys, withoutKeys } from './table.ts';

export interface RunSelection {
  readonly eligibleCount: number;
  readonly eligibleAmount: number;
  /** Sellers with at least the minimum available who are not paid, by reason. */
  readonly skipped: Partial<Record<SkipReason, number>>;
}

export interface RunApproval {
  readonly required: boolean;
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

/** The run's id for one start request: the same user and Idempotency-Key always name the same run. */
export const payoutRunIdOf = (startedBy: string, idempotencyKey: string) =>
  `pr_${createHash('sha256').update(`${startedBy}\n${idempotencyKey}`).digest('hex').slice(0, 16)}`;

/**
 * Lines finishing at once all count themselves on the run; spread over shards, their transactions
 * rarely write the same counter item (DynamoDB cancels transactions that do).
 */
const progressShards = 10;
const shardOf = (sellerId: string) =>
  createHash('sha256').update(sellerId).digest().readUInt32BE(0) % progressShards;

const runSortKey = (run: { createdAt: string; runId: string }) => `PAYOUT_RUN#${run.createdAt}#${run.runId}`;

/** The seller's payouts index (GSI1) entry of a line, sorted by its run. */
const sellerIndexKeys = (line: Pick<PayoutLine, 'sellerId' | 'runId' | 'runCreatedAt'>) => ({
  ...keys.sellerPayouts(line.sellerId),
  GSI1SK: runSortKey({ createdAt: line.runCreatedAt, runId: line.runId }),
});

const noProgress: RunProgress = { paid: 0, paidAmount: 0, failed: 0, skipped: 0 };

const toLine = (item: Record<string, unknown>) => withoutKeys(item) as unknown as PayoutLine;

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

/**
 * Payout runs, their lines and progress, the one active run per currency, and sellers' payout holds.
 * See README.md beside this file for the access patterns.
 */
export class PayoutRunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: LedgerStore,
  ) {}

  /**
   * Creates the run, and for a run that moves money takes its currency's active-run slot. Returns
   * 'exists' when a run of that id was created before (a repeated start).
   */
  async create(run: NewPayoutRun): Promise<'created' | 'exists'> {
    const now = run.createdAt;
    const runItem: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.payoutRun(run.runId),
          ...keys.payoutRuns(),
          GSI1SK: runSortKey(run),
          entity: entities.payoutRun,
          ...run,
          status: 'selecting',
          updatedAt: now,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    const slot: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.activePayoutRun(run.currency),
          entity: entities.activePayoutRun,
          runId: run.runId,
          since: now,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: run.dryRun ? [runItem] : [runItem, slot] }),
      );
      return 'created';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [runReason, slotReason] = error.CancellationReasons ?? [];
      if (runReason?.Code === 'ConditionalCheckFailed') return 'exists';
      if (slotReason?.Code === 'ConditionalCheckFailed') {
        const active = fromAttributeValues(slotReason.Item)?.runId;
        throw new DomainError(
          'conflict',
          'payout_run_in_progress',
          `Payout run ${String(active)} of ${run.currency} is still in progress; one run per currency moves money at a time.`,
        );
      }
      if ([runReason, slotReason].some((reason) => reason?.Code === 'TransactionConflict')) {
        throw concurrentModification();
      }
      throw error;
    }
  }

  /** The run with its progress: one Query of its run item and progress counters. */
  async get(runId: string): Promise<PayoutRun | undefined> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
        ExpressionAttributeValues: { ':pk': keys.payoutRun(runId).PK, ':run': 'RUN' },
        ConsistentRead: true,
      }),
    );
    const runItem = Items.find((item) => item.SK === 'RUN');
    if (!runItem) return undefined;
    const progress = Items.filter((item) => item.SK !== 'RUN').reduce<RunProgress>(
      (sum, shard) => ({
        paid: sum.paid + Number(shard.paid ?? 0),
        paidAmount: sum.paidAmount + Number(shard.paidAmount ?? 0),
        failed: sum.failed + Number(shard.failed ?? 0),
        skipped: sum.skipped + Number(shard.skipped ?? 0),
      }),
      noProgress,
    );
    return { ...(withoutKeys(runItem) as unknown as Omit<PayoutRun, 'progress'>), progress };
  }

  async require(runId: string): Promise<PayoutRun> {
    const run = await this.get(runId);
    if (!run) throw new PayoutRunNotFound(runId);
    return run;
  }

  /** Runs newest first. */
  async list(limit: number, cursor?: string): Promise<Page<Omit<PayoutRun, 'progress'>>> {
    const page = await this.newestRunFirst(keys.payoutRuns().GSI1PK, keys.payoutRun, limit, cursor);
    return { ...page, items: page.items.map((item) => withoutKeys(item) as unknown as PayoutRun) };
  }

  /** Runs not yet completed, rejected or expired: the local stack resumes them after a restart. */
  async *unfinished(): AsyncGenerator<Omit<PayoutRun, 'progress'>> {
    for await (const items of queryPages(this.client, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: '#status IN (:selecting, :awaiting, :paying)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.payoutRuns().GSI1PK,
        ':selecting': 'selecting',
        ':awaiting': 'awaiting-approval',
        ':paying': 'paying',
      },
    })) {
      yield* items.map((item) => withoutKeys(item) as unknown as PayoutRun);
    }
  }

  /** A line of the selection; one already written (by an earlier attempt) is left as it is. */
  async addLine(run: PayoutRun, line: Omit<PayoutLine, 'runId' | 'currency' | 'runCreatedAt' | 'updatedAt'>) {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.payoutLine(run.runId, line.sellerId),
            ...(run.dryRun || line.status === 'planned'
              ? {}
              : sellerIndexKeys({ sellerId: line.sellerId, runId: run.runId, runCreatedAt: run.createdAt })),
            entity: entities.payoutLine,
            runId: run.runId,
            currency: run.currency,
            runCreatedAt: run.createdAt,
            ...line,
            updatedAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Ends the selection: the run waits for approval, pays, or (a dry run) is complete. */
  async recordSelection(
    runId: string,
    selection: RunSelection,
    next: 'awaiting-approval' | 'paying' | 'completed',
    approval: RunApproval,
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.transition(runId, ['selecting'], {
      status: next,
      selection,
      approval,
      ...(next === 'completed' ? { finishedAt: now } : {}),
    });
  }

  /** The run waits for a decision with this task token until `deadline`. */
  async awaitApproval(runId: string, approvalToken: string, deadline: string): Promise<void> {
    await this.transition(runId, ['awaiting-approval'], {
      approvalToken,
      approval: { required: true, deadline },
    });
  }

  /** Records a finance user's decision on a run awaiting it; the run pays or is rejected. */
  async decide(run: PayoutRun, approval: RunApproval): Promise<void> {
    await this.transition(run.runId, ['awaiting-approval'], {
      status: approval.decision === 'approved' ? 'paying' : 'rejected',
      approval,
      ...(approval.decision === 'rejected' ? { finishedAt: approval.decidedAt } : {}),
    });
    if (approval.decision === 'rejected') await this.releaseSlot(run);
  }

  /** The run reached its end, with its failures for the record; its currency may run again. */
  async finish(
    run: PayoutRun,
    status: 'completed' | 'expired' | 'rejected',
    failures: PayoutFailureRecord[],
  ): Promise<void> {
    // Over already (a retried finish, a rejection recorded before its wait timed out): only the slot is left.
    if (!isFinalRunStatus(run.status)) {
      await this.transition(run.runId, ['paying', 'awaiting-approval'], {
        status,
        failures,
        finishedAt: new Date().toISOString(),
      });
    }
    await this.releaseSlot(run);
  }

  async line(runId: string, sellerId: string): Promise<PayoutLine | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.payoutLine(runId, sellerId),
        ConsistentRead: true,
      }),
    );
    return Item ? toLine(Item) : undefined;
  }

  /** One page of the run's lines, by seller id, optionally of one status. */
  async lines(
    runId: string,
    { limit, cursor, status }: { limit: number; cursor?: string; status?: PayoutLineStatus },
  ): Promise<Page<PayoutLine>> {
    const { PK } = keys.payoutRun(runId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': PK,
          ':prefix': 'LINE#',
          ...(status ? { ':status': status } : {}),
        },
        ...(status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ConsistentRead: true,
      },
      { kind: 'payoutLine', limit, cursor, sortKeyAttribute: 'SK', startKey: (SK) => ({ PK, SK }) },
    );
    return { ...page, items: page.items.map(toLine) };
  }

  /** Every line of the run, page by page. */
  async *allLines(runId: string): AsyncGenerator<PayoutLine[]> {
    for await (const items of queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.payoutRun(runId).PK, ':prefix': 'LINE#' },
      ConsistentRead: true,
    })) {
      yield items.map(toLine);
    }
  }

  /** The seller's payout lines, newest run first. */
  async sellerPayouts(sellerId: string, limit: number, cursor?: string): Promise<Page<PayoutLine>> {
    const page = await this.newestRunFirst(
      keys.sellerPayouts(sellerId).GSI1PK,
      (runId) => keys.payoutLine(runId, sellerId),
      limit,
      cursor,
    );
    return { ...page, items: page.items.map(toLine) };
  }

  /** One page of a GSI1 partition sorted by run (`runSortKey`), newest first; `tableKey` names an item by its run. */
  private newestRunFirst(
    partition: string,
    tableKey: (runId: string) => Record<string, string>,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<Record<string, unknown>>> {
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
      },
      {
        kind: 'payoutRun',
        limit,
        cursor,
        sortKeyAttribute: 'GSI1SK',
        startKey: (sortKey) => ({
          ...tableKey(sortKey.slice(sortKey.lastIndexOf('#') + 1)),
          GSI1PK: partition,
          GSI1SK: sortKey,
        }),
      },
    );
  }

  /**
   * planned → transferring: fixes the amount and posts the ledger transfer, while the run is paying.
   * The ledger refuses a transfer the seller's available balance no longer covers.
   */
  async reserve(
    line: PayoutLine,
    payment: { readonly amount: number; readonly stripeAccountId: string },
    transfer: LedgerTransaction,
  ): Promise<void> {
    await this.lineTransaction(
      line,
      [
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.payoutRun(line.runId),
            ConditionExpression: '#status = :paying',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':paying': 'paying' },
          },
        },
        this.lineUpdate(line, 'planned', { status: 'transferring', ...payment }),
        ...this.ledger.transactItems(transfer),
      ],
      transfer,
    );
  }

  /** transferring → paid, with Stripe's transfer. */
  async markPaid(line: PayoutLine, transferId: string): Promise<void> {
    await this.finishLine(line, 'transferring', {
      status: 'paid',
      transferId,
      paidAt: new Date().toISOString(),
    });
  }

  /** planned → skipped: the seller may not be paid after all. */
  async skip(line: PayoutLine, skipReason: SkipReason): Promise<void> {
    await this.finishLine(line, 'planned', { status: 'skipped', skipReason });
  }

  /** → failed, with the reversal of the ledger transfer when one was posted. */
  async fail(
    line: PayoutLine,
    failure: { code: string; message: string },
    reversal: LedgerTransaction | undefined,
  ): Promise<void> {
    await this.finishLine(line, line.status, { status: 'failed', failure }, reversal);
  }

  /** The bank payout Stripe made from the seller's connected account after these transfers. */
  async recordBankPayout(line: PayoutLine, bankPayout: NonNullable<PayoutLine['bankPayout']>): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.payoutLine(line.runId, line.sellerId),
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
  }

  async hold(sellerId: string): Promise<{ reason: string; by: string; since: string } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.sellerPayoutHold(sellerId),
        ConsistentRead: true,
      }),
    );
    return Item ? (withoutKeys(Item) as { reason: string; by: string; since: string }) : undefined;
  }

  async placeHold(sellerId: string, hold: { reason: string; by: string }): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.sellerPayoutHold(sellerId),
          entity: entities.sellerPayoutHold,
          sellerId,
          ...hold,
          since: new Date().toISOString(),
        },
      }),
    );
  }

  async releaseHold(sellerId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.sellerPayoutHold(sellerId) }),
    );
  }

  /** Of these sellers, those finance holds back. */
  async sellersOnHold(sellerIds: readonly string[]): Promise<Set<string>> {
    const holds = await batchGetAll(
      this.client,
      this.tableName,
      sellerIds.map((sellerId) => keys.sellerPayoutHold(sellerId)),
    );
    return new Set(holds.map((hold) => String(hold.sellerId)));
  }

  private async finishLine(
    line: PayoutLine,
    from: PayoutLineStatus,
    change: { status: FinalLineStatus } & Partial<PayoutLine>,
    ledgerTransaction?: LedgerTransaction,
  ): Promise<void> {
    const counted =
      change.status === 'paid'
        ? { paid: 1, paidAmount: line.amount ?? 0 }
        : change.status === 'failed'
          ? { failed: 1 }
          : { skipped: 1 };
    const names = Object.keys(counted);
    await this.lineTransaction(
      line,
      [
        this.lineUpdate(line, from, change),
        {
          Update: {
            TableName: this.tableName,
            Key: keys.payoutRunProgress(line.runId, shardOf(line.sellerId)),
            UpdateExpression: `SET entity = :entity ADD ${names.map((name) => `${name} :${name}`).join(', ')}`,
            ExpressionAttributeValues: {
              ':entity': entities.payoutRunProgress,
              ...Object.fromEntries(Object.entries(counted).map(([name, value]) => [`:${name}`, value])),
            },
          },
        },
        ...(ledgerTransaction ? this.ledger.transactItems(ledgerTransaction) : []),
      ],
      ledgerTransaction,
    );
  }

  /** A line leaving `planned` joins its seller's payouts (a run selected, never paid, is not a payout). */
  private lineUpdate(line: PayoutLine, from: PayoutLineStatus, change: Partial<PayoutLine>): TransactItem {
    const attributes = {
      ...change,
      ...(from === 'planned' ? sellerIndexKeys(line) : {}),
      updatedAt: new Date().toISOString(),
    };
    const names = Object.keys(attributes);
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.payoutLine(line.runId, line.sellerId),
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
  }

  /**
   * Writes the line's change (`items`, the line update among them) in one transaction. Throws
   * LineMoved when the line had left the status its update expects, the ledger's error when a transfer is not covered,
   * and concurrent_modification when another transaction held the items.
   */
  private async lineTransaction(
    line: PayoutLine,
    items: TransactItem[],
    ledgerTransaction: LedgerTransaction | undefined,
  ): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const lineIndex = items.findIndex(
        (item) => item.Update?.Key?.SK === keys.payoutLine(line.runId, line.sellerId).SK,
      );
      const lineReason = reasons[lineIndex];
      if (lineReason?.Code === 'ConditionalCheckFailed') {
        const current = fromAttributeValues(lineReason.Item);
        throw new LineMoved(current ? toLine(current) : undefined);
      }
      if (reasons[0]?.Code === 'ConditionalCheckFailed' && items[0]?.ConditionCheck) {
        throw new DomainError('conflict', 'payout_run_not_paying', `Payout run ${line.runId} is not paying.`);
      }
      if (ledgerTransaction) {
        const ledgerStart = items.length - ledgerActionCount(ledgerTransaction);
        // Throws insufficient_balance or concurrent_modification; 'already-posted' cannot be: the
        // line's status guards the posting.
        ledgerCancellation(ledgerTransaction, reasons.slice(ledgerStart));
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw concurrentModification();
      throw error;
    }
  }

  private async transition(
    runId: string,
    from: readonly PayoutRunStatus[],
    change: Partial<Omit<PayoutRun, 'progress'>>,
  ): Promise<void> {
    const attributes = { ...change, updatedAt: new Date().toISOString() };
    const names = Object.keys(attributes);
    await conditionalWrite(
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.payoutRun(runId),
            UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
            ConditionExpression: `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})`,
            ExpressionAttributeNames: {
              ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
              '#status': 'status',
            },
            ExpressionAttributeValues: {
              ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`:${name}`, value])),
              ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (current) => {
        if (!current) throw new PayoutRunNotFound(runId);
        throw new DomainError(
          'conflict',
          'payout_run_status_conflict',
          `Payout run ${runId} is ${String(current.status)}, not ${from.join(' or ')}.`,
        );
      },
    );
  }

  private async releaseSlot(run: PayoutRun): Promise<void> {
    if (run.dryRun) return;
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.activePayoutRun(run.currency),
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': run.runId },
        }),
      );
    } catch (error) {
      // Released already (a retried finish): another run of the currency may hold the slot now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
