import { createHash } from 'node:crypto';
import type { FinalLineStatus } from '../../domain/payout-run.ts';
import type { TransactItem } from '../conditional.ts';
import {
  type ProgressShard,
  payoutRunProgressEntity,
  payoutRunProgressKey,
} from '../entities/payout-run-progress.ts';
import type { PayoutLine, RunProgress } from './run-and-line-types.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

/**
 * Lines finishing at once all count themselves on the run; spread over shards, their transactions
 * rarely write the same counter item (DynamoDB cancels transactions that do).
 */
const progressShards = 10;
const shardOf = (sellerId: string) =>
  createHash('sha256').update(sellerId).digest().readUInt32BE(0) % progressShards;

const noProgress: RunProgress = { paid: 0, paidAmount: 0, failed: 0, skipped: 0 };

/** The run's progress: its progress shards added up. */
export const sumProgress = (shards: readonly ProgressShard[]): RunProgress =>
  shards.reduce<RunProgress>(
    (sum, shard) => ({
      paid: sum.paid + (shard.paid ?? 0),
      paidAmount: sum.paidAmount + (shard.paidAmount ?? 0),
      failed: sum.failed + (shard.failed ?? 0),
      skipped: sum.skipped + (shard.skipped ?? 0),
    }),
    noProgress,
  );

/** Counts the line's final status on its seller's progress shard of the run. */
export const countLineProgress = (
  { tableName }: PayoutRunTable,
  line: PayoutLine,
  status: FinalLineStatus,
): TransactItem => {
  const counted =
    status === 'paid'
      ? { paid: 1, paidAmount: line.amount ?? 0 }
      : status === 'failed'
        ? { failed: 1 }
        : { skipped: 1 };
  const names = Object.keys(counted);
  return {
    Update: {
      TableName: tableName,
      Key: payoutRunProgressKey(line.runId, shardOf(line.sellerId)),
      UpdateExpression: `SET entity = :entity, schemaVersion = :schemaVersion ADD ${names.map((name) => `${name} :${name}`).join(', ')}`,
      ExpressionAttributeValues: {
        ':entity': payoutRunProgressEntity.name,
        ':schemaVersion': payoutRunProgressEntity.version,
        ...Object.fromEntries(Object.entries(counted).map(([name, value]) => [`:${name}`, value])),
      },
    },
  };
};
