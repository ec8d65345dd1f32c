import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../conditional.ts';
import { currencyLockEntity, currencyLockKey } from '../entities/currency-lock.ts';
import type { NewPayoutRun, PayoutRun } from './run-and-line-types.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

/** Takes the currency's active-run slot for the run: one run per currency moves money at a time. */
export const takeCurrencyLock = ({ tableName }: PayoutRunTable, run: NewPayoutRun): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: currencyLockEntity.item(currencyLockKey(run.currency), { runId: run.runId, since: run.createdAt }),
    ConditionExpression: 'attribute_not_exists(PK)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/** Checks, in a transaction, that the run still holds its currency's active-run slot. */
export const holdsCurrencyLock = ({ tableName }: PayoutRunTable, run: PayoutRun): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: currencyLockKey(run.currency),
    ConditionExpression: 'runId = :runId',
    ExpressionAttributeValues: { ':runId': run.runId },
  },
});

/** Frees the currency's active-run slot the run holds (a dry run holds none). */
export const releaseCurrencyLock = async (
  { client, tableName }: PayoutRunTable,
  run: PayoutRun,
): Promise<void> => {
  if (run.dryRun) return;
  try {
    await client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: currencyLockKey(run.currency),
        ConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':runId': run.runId },
      }),
    );
  } catch (error) {
    // Released already (a retried finish): another run of the currency may hold the slot now.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
