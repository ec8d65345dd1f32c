import {
  type CancellationReason,
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { concurrentModification, fromAttributeValues, type TransactItem } from './conditional.ts';

/** DynamoDB's limit on the actions of one transaction. */
export const maxTransactionItems = 100;

/** One failed condition: the position of the action among those of its name, and its item as it was. */
export interface FailedCondition {
  readonly position: number;
  /** The item as it was, when the action asked for it (ReturnValuesOnConditionCheckFailure = ALL_OLD). */
  readonly current: Record<string, unknown> | undefined;
}

/**
 * Why DynamoDB cancelled a transaction, told by the names the actions were added with rather than
 * by their positions in the request.
 */
export class CancelledTransaction<Name extends string> {
  constructor(
    private readonly names: readonly Name[],
    private readonly reasons: readonly CancellationReason[],
    /** The error DynamoDB raised, to rethrow when no reason explains the cancellation. */
    readonly error: Error,
  ) {}

  /** The failed conditions of the actions added as `name`, in the order they were added. */
  failedAt(name: Name): FailedCondition[] {
    const failed: FailedCondition[] = [];
    let position = 0;
    for (const [index, actionName] of this.names.entries()) {
      if (actionName !== name) continue;
      const reason = this.reasons[index];
      if (reason?.Code === 'ConditionalCheckFailed') {
        failed.push({ position, current: fromAttributeValues(reason.Item) });
      }
      position += 1;
    }
    return failed;
  }

  /** Whether a condition of an action added as `name` failed. */
  has(name: Name): boolean {
    return this.failedAt(name).length > 0;
  }

  /** Another transaction was writing an item of this one (DynamoDB Local never says so). */
  get conflict(): boolean {
    return this.reasons.some((reason) => reason.Code === 'TransactionConflict');
  }

  /** What to throw when no named failure explained the cancellation. */
  unexplained(): Error {
    return this.conflict ? concurrentModification() : this.error;
  }
}

/**
 * A TransactWriteItems request whose actions each carry a name, so that a cancellation is read by
 * name: `cancelled.has('idempotencyClaim')`, `cancelled.failedAt('stock')`.
 */
export class TransactionPlan<Name extends string> {
  private readonly actions: TransactItem[] = [];
  private readonly names: Name[] = [];

  add(name: Name, ...actions: readonly TransactItem[]): this {
    for (const action of actions) {
      this.actions.push(action);
      this.names.push(name);
    }
    return this;
  }

  get size(): number {
    return this.actions.length;
  }

  /**
   * Writes every action or none. Answers undefined when written, the cancellation when a condition
   * failed or another transaction held an item; other errors are thrown. A plan of one write is sent
   * as that write alone: as atomic, and DynamoDB bills it half a transaction's capacity.
   */
  async write(client: DynamoDBDocumentClient): Promise<CancelledTransaction<Name> | undefined> {
    const [only, ...others] = this.actions;
    const alone = only && others.length === 0 ? singleWrite(only) : undefined;
    if (alone) return this.writeAlone(() => alone(client));
    try {
      await client.send(new TransactWriteCommand({ TransactItems: this.actions }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      return new CancelledTransaction(this.names, error.CancellationReasons ?? [], error);
    }
  }

  private async writeAlone(send: () => Promise<unknown>): Promise<CancelledTransaction<Name> | undefined> {
    try {
      await send();
      return undefined;
    } catch (error) {
      const reason: CancellationReason | undefined =
        error instanceof ConditionalCheckFailedException
          ? { Code: 'ConditionalCheckFailed', ...(error.Item ? { Item: error.Item } : {}) }
          : error instanceof TransactionConflictException
            ? { Code: 'TransactionConflict' }
            : undefined;
      if (!reason) throw error;
      return new CancelledTransaction(this.names, [reason], error as Error);
    }
  }
}

/** The action as a request of its own; a condition check alone writes nothing and stays a transaction. */
function singleWrite(
  action: TransactItem,
): ((client: DynamoDBDocumentClient) => Promise<unknown>) | undefined {
  const { Put, Update, Delete } = action;
  if (Put) return (client) => client.send(new PutCommand(Put));
  if (Update) return (client) => client.send(new UpdateCommand(Update));
  if (Delete) return (client) => client.send(new DeleteCommand(Delete));
  return undefined;
}
