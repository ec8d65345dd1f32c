import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import type { PayoutRunStatus } from '../../domain/payout-run.ts';
import { conditionalWrite, fromAttributeValues, type TransactItem } from '../conditional.ts';
import { decodeIfPresent } from '../entities/entity.ts';
import { payoutRunEntity, payoutRunKey, type RunItem } from '../entities/payout-run.ts';
import { TransactionPlan } from '../transaction.ts';
import { PayoutRunNotFound } from './run-and-line-types.ts';
import type { PayoutRunTable } from './run-sorted-index.ts';

/** A change of the run item, made only while the run is in one of the `from` statuses and `also` holds. */
export interface RunChange {
  readonly from: readonly PayoutRunStatus[];
  readonly set: Partial<RunItem>;
  readonly also?: { readonly condition: string; readonly values: Record<string, unknown> };
}

/** Another action of a run's transaction, and the error its failed condition means if it has one. */
export interface GuardedItem {
  readonly item: TransactItem;
  readonly refused?: () => Error;
}

const runUpdate = ({ tableName }: PayoutRunTable, runId: string, { from, set, also }: RunChange) => {
  const attributes = { ...set, updatedAt: new Date().toISOString() };
  const names = Object.keys(attributes);
  const statuses = `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})`;
  return {
    TableName: tableName,
    Key: payoutRunKey(runId),
    UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
    ConditionExpression: also ? `${statuses} AND ${also.condition}` : statuses,
    ExpressionAttributeNames: {
      ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
      '#status': 'status',
    },
    ExpressionAttributeValues: {
      ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`:${name}`, value])),
      ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
      ...also?.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  } satisfies UpdateCommandInput;
};

const statusConflict = (runId: string, from: readonly PayoutRunStatus[], item?: Record<string, unknown>) => {
  const current = decodeIfPresent(payoutRunEntity, item);
  return current
    ? new DomainError(
        'conflict',
        'payout_run_status_conflict',
        `Payout run ${runId} is ${current.status}, not ${from.join(' or ')}.`,
      )
    : new PayoutRunNotFound(runId);
};

/** Changes the run if it is in one of the statuses the change starts from. */
export const transition = async (table: PayoutRunTable, runId: string, change: RunChange): Promise<void> => {
  await conditionalWrite(
    () => table.client.send(new UpdateCommand(runUpdate(table, runId, change))),
    (current) => {
      throw statusConflict(runId, change.from, current);
    },
  );
};

/**
 * Changes the run as `transition` does, in one transaction with `guarded` actions: nothing is
 * written when the run is not in a status the change starts from, or a guard's condition fails.
 */
export const transitionWith = async (
  table: PayoutRunTable,
  runId: string,
  change: RunChange,
  guarded: readonly GuardedItem[],
): Promise<void> => {
  const cancelled = await new TransactionPlan<'run' | 'guards'>()
    .add('run', { Update: runUpdate(table, runId, change) })
    .add('guards', ...guarded.map(({ item }) => item))
    .write(table.client);
  if (!cancelled) return;
  const [refused] = cancelled.failedAt('guards').flatMap(({ position }) => guarded[position]?.refused ?? []);
  if (refused) throw refused();
  const [run] = cancelled.failedAt('run');
  if (run) throw statusConflict(runId, change.from, run.current);
  throw cancelled.unexplained();
};

/**
 * Changes the run if its status and `also` allow, and answers the run as it stands after: changed,
 * or left as it was.
 */
export const transitionIf = async (
  table: PayoutRunTable,
  runId: string,
  change: RunChange,
): Promise<RunItem> => {
  try {
    const { Attributes } = await table.client.send(
      new UpdateCommand({ ...runUpdate(table, runId, change), ReturnValues: 'ALL_NEW' }),
    );
    return payoutRunEntity.decode(Attributes ?? {});
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = decodeIfPresent(payoutRunEntity, fromAttributeValues(error.Item));
    if (!current) throw new PayoutRunNotFound(runId);
    return current;
  }
};
