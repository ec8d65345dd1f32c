import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import { concurrentModification, fromAttributeValues, type TransactItem } from '../conditional.ts';
import { type Page, queryPages } from '../query-page.ts';
import { entities, keys, withoutKeys } from '../table.ts';
import { takeCurrencyLock } from './currency-lock.ts';
import { sumProgress } from './progress-shards.ts';
import { type NewPayoutRun, type PayoutRun, PayoutRunNotFound } from './run-and-line-types.ts';
import { newestRunFirst, type PayoutRunTable, runSortKey } from './run-sorted-index.ts';

/**
 * Creates the run, and for a run that moves money takes its currency's active-run slot. Returns
 * 'exists' when a run of that id was created before (a repeated start).
 */
export const createRun = async (table: PayoutRunTable, run: NewPayoutRun): Promise<'created' | 'exists'> => {
  const now = run.createdAt;
  const runItem: TransactItem = {
    Put: {
      TableName: table.tableName,
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
  const slot = takeCurrencyLock(table, run);
  try {
    await table.client.send(
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
};

/** The run with its progress: one Query of its run item and progress counters. */
export const getRun = async (
  { client, tableName }: PayoutRunTable,
  runId: string,
): Promise<PayoutRun | undefined> => {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
      ExpressionAttributeValues: { ':pk': keys.payoutRun(runId).PK, ':run': 'RUN' },
      ConsistentRead: true,
    }),
  );
  const runItem = Items.find((item) => item.SK === 'RUN');
  if (!runItem) return undefined;
  const progress = sumProgress(Items.filter((item) => item.SK !== 'RUN'));
  return { ...(withoutKeys(runItem) as unknown as Omit<PayoutRun, 'progress'>), progress };
};

export const requireRun = async (table: PayoutRunTable, runId: string): Promise<PayoutRun> => {
  const run = await getRun(table, runId);
  if (!run) throw new PayoutRunNotFound(runId);
  return run;
};

/** Runs newest first. */
export const listRuns = async (
  table: PayoutRunTable,
  limit: number,
  cursor?: string,
): Promise<Page<Omit<PayoutRun, 'progress'>>> => {
  const page = await newestRunFirst(table, keys.payoutRuns().GSI1PK, keys.payoutRun, limit, cursor);
  return { ...page, items: page.items.map((item) => withoutKeys(item) as unknown as PayoutRun) };
};

/** Runs not yet completed, rejected or expired: the local stack resumes them after a restart. */
export async function* unfinishedRuns({
  client,
  tableName,
}: PayoutRunTable): AsyncGenerator<Omit<PayoutRun, 'progress'>> {
  for await (const items of queryPages(client, {
    TableName: tableName,
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
