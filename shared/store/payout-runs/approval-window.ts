import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sumOf } from '../../domain/money.ts';
import type { TransactItem } from '../conditional.ts';
import {
  approvalWindowEntity,
  approvalWindowKey,
  approvalWindowPartition,
} from '../entities/approval-window.ts';
import { queryAll } from '../query-page.ts';
import type { PayoutRun } from './run-and-line-types.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

/** Kept two days, past the 24 hours the threshold looks at; the table's TTL then deletes it. */
const keptSeconds = 2 * 86_400;

type CountedRun = Pick<PayoutRun, 'runId' | 'currency' | 'createdAt'>;

/**
 * What runs of `currency` started after `since` paid or may still pay: one Query of the currency's
 * window, sorted by the runs' start.
 */
export const recentTotal = async (
  { client, tableName }: PayoutRunTable,
  currency: string,
  since: string,
): Promise<number> => {
  const counted = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND SK > :since',
    ExpressionAttributeValues: { ':pk': approvalWindowPartition(currency).PK, ':since': since },
    ConsistentRead: true,
  });
  return sumOf(counted.map((item) => approvalWindowEntity.decode(item).amount));
};

/** Counts in its currency's window what a run selected to pay: the most it may pay. */
export const countInWindow = (
  { tableName }: PayoutRunTable,
  run: CountedRun,
  amount: number,
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: approvalWindowEntity.item(approvalWindowKey(run.currency, run.createdAt, run.runId), {
      runId: run.runId,
      runCreatedAt: run.createdAt,
      amount,
      expiresAt: Math.floor(Date.parse(run.createdAt) / 1000) + keptSeconds,
    }),
  },
});

/** The run is over: it counts for what it paid (nothing, rejected or expired). */
export const settleInWindow = async (
  { client, tableName }: PayoutRunTable,
  run: CountedRun,
  paid: number,
): Promise<void> => {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: approvalWindowKey(run.currency, run.createdAt, run.runId),
        UpdateExpression: 'SET amount = :paid',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':paid': paid },
      }),
    );
  } catch (error) {
    // Out of the window long ago, and deleted by the TTL: there is nothing left to settle.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
