import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import type { TransactItem } from '../conditional.ts';
import { currencyLockEntity } from '../entities/currency-lock.ts';
import { decodeIfPresent } from '../entities/entity.ts';
import {
  payoutRunEntity,
  payoutRunKey,
  payoutRunsPartition,
  type RunItem,
  runSortKey,
} from '../entities/payout-run.ts';
import { payoutRunProgressEntity } from '../entities/payout-run-progress.ts';
import { IdempotencyKeyTaken } from '../idempotency-records.ts';
import { type Page, queryPages } from '../query-page.ts';
import { TransactionPlan } from '../transaction.ts';
import { takeCurrencyLock } from './currency-lock.ts';
import { sumProgress } from './progress-shards.ts';
import { type NewPayoutRun, type PayoutRun, PayoutRunNotFound } from './run-and-line-types.ts';
import { newestRunFirst, type PayoutRunTable } from './run-sorted-index.ts';

const toRun = (item: Record<string, unknown>) => payoutRunEntity.decode(item);

/**
 * Creates the run, and for a run that moves money takes its currency's active-run slot, with the
 * claim of the Idempotency-Key that started it if one did. Returns 'exists' when a run of that id
 * was created before (a repeated start).
 */
export const createRun = async (
  table: PayoutRunTable,
  run: NewPayoutRun,
  idempotencyClaim?: TransactItem,
): Promise<'created' | 'exists'> => {
  const plan = new TransactionPlan<'run' | 'currencyLock' | 'idempotencyClaim'>().add('run', {
    Put: {
      TableName: table.tableName,
      Item: payoutRunEntity.item(
        { ...payoutRunKey(run.runId), ...payoutRunsPartition(), GSI1SK: runSortKey(run) },
        { ...run, status: 'selecting', updatedAt: run.createdAt },
      ),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
  if (!run.dryRun) plan.add('currencyLock', takeCurrencyLock(table, run));
  if (idempotencyClaim) plan.add('idempotencyClaim', idempotencyClaim);
  const cancelled = await plan.write(table.client);
  if (!cancelled) return 'created';
  if (cancelled.has('idempotencyClaim')) throw new IdempotencyKeyTaken();
  if (cancelled.has('run')) return 'exists';
  const [lock] = cancelled.failedAt('currencyLock');
  if (lock) {
    const active = decodeIfPresent(currencyLockEntity, lock.current)?.runId;
    throw new DomainError(
      'conflict',
      'payout_run_in_progress',
      `Payout run ${String(active)} of ${run.currency} is still in progress; one run per currency moves money at a time.`,
    );
  }
  throw cancelled.unexplained();
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
      ExpressionAttributeValues: { ':pk': payoutRunKey(runId).PK, ':run': payoutRunKey(runId).SK },
      ConsistentRead: true,
    }),
  );
  const runItem = Items.find((item) => item.SK === payoutRunKey(runId).SK);
  if (!runItem) return undefined;
  const shards = Items.filter((item) => item !== runItem).map((item) => payoutRunProgressEntity.decode(item));
  return { ...toRun(runItem), progress: sumProgress(shards) };
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
): Promise<Page<RunItem>> => {
  const page = await newestRunFirst(table, payoutRunsPartition().GSI1PK, payoutRunKey, limit, cursor);
  return { ...page, items: page.items.map(toRun) };
};

/** Runs not yet completed, rejected or expired: the local stack resumes them after a restart. */
export async function* unfinishedRuns({ client, tableName }: PayoutRunTable): AsyncGenerator<RunItem> {
  for await (const items of queryPages(client, {
    TableName: tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    FilterExpression: '#status IN (:selecting, :awaiting, :paying)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':pk': payoutRunsPartition().GSI1PK,
      ':selecting': 'selecting',
      ':awaiting': 'awaiting-approval',
      ':paying': 'paying',
    },
  })) {
    yield* items.map(toRun);
  }
}
