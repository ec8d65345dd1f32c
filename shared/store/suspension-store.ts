import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type LiftedSuspension, suspensionNotFound, type UserSuspension } from '../domain/suspension.ts';
import { auditEntryPut } from './admin-audit-store.ts';
import { batchGetAll } from './batch-get.ts';
import { concurrentModification, type TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { payoutHoldEntity, payoutHoldKey } from './entities/payout-hold.ts';
import { userSuspensionEntity, userSuspensionKey } from './entities/user-suspension.ts';
import { holdPlacement, holdRelease } from './payout-runs/payout-holds.ts';
import { TransactionPlan } from './transaction.ts';

/**
 * The writes that suspend a user, audited, for a transaction: the suspension if there is none and,
 * when it says it places one (`payoutHoldSince`), the payout hold if there is none.
 */
export function suspensionWrites(
  tableName: string,
  suspension: UserSuspension,
): ['suspension' | 'hold' | 'audit', TransactItem][] {
  const { userId, reason, by, since, payoutHoldSince } = suspension;
  return [
    [
      'suspension',
      {
        Put: {
          TableName: tableName,
          Item: userSuspensionEntity.item(userSuspensionKey(userId), suspension),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ],
    [
      'audit',
      auditEntryPut(tableName, {
        at: since,
        action: 'user.suspended',
        actor: by,
        target: { kind: 'user', id: userId },
        reason,
      }),
    ],
    ...(payoutHoldSince
      ? holdPlacement(
          tableName,
          { sellerId: userId, reason: `Suspended: ${reason}`, by, since },
          { ifNone: true },
        ).map((write): ['hold', TransactItem] => ['hold', write])
      : []),
  ];
}

/** Suspensions of users by admins, with the payout holds they place. See README.md beside this file. */
export class SuspensionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<UserSuspension | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: userSuspensionKey(userId), ConsistentRead: true }),
    );
    return decodeIfPresent(userSuspensionEntity, Item);
  }

  /** The user's suspension and payout hold, as they are now. */
  private async standing(userId: string) {
    const [suspensionKey, holdKey] = [userSuspensionKey(userId), payoutHoldKey(userId)];
    const items = await batchGetAll(this.client, this.tableName, [suspensionKey, holdKey]);
    const find = (key: { SK: string }) => items.find((item) => item.SK === key.SK);
    return {
      suspension: decodeIfPresent(userSuspensionEntity, find(suspensionKey)),
      hold: decodeIfPresent(payoutHoldEntity, find(holdKey)),
    };
  }

  /**
   * Suspends the user and, unless their payouts are held already, holds them, audited in the same
   * transaction. A user suspended already stays as they are: `suspended` is false.
   */
  async suspend(
    userId: string,
    { reason, by }: { reason: string; by: string },
    now = new Date(),
  ): Promise<{ suspension: UserSuspension; suspended: boolean }> {
    const { suspension: current, hold } = await this.standing(userId);
    if (current) return { suspension: current, suspended: false };
    const since = now.toISOString();
    const suspension: UserSuspension = {
      userId,
      reason,
      by,
      since,
      ...(hold ? {} : { payoutHoldSince: since }),
    };
    const plan = new TransactionPlan<'suspension' | 'hold' | 'audit'>();
    for (const [name, write] of suspensionWrites(this.tableName, suspension)) plan.add(name, write);
    const cancelled = await plan.write(this.client);
    if (!cancelled) return { suspension, suspended: true };
    if (cancelled.has('suspension')) {
      const suspended = await this.get(userId);
      if (suspended) return { suspension: suspended, suspended: false };
    }
    // A hold was placed, or the suspension lifted, while this one was being written.
    throw concurrentModification();
  }

  /**
   * Lifts the suspension and the payout hold it placed, if that hold is still in place (a hold
   * finance placed stays), audited in the same transaction.
   */
  async reinstate(
    userId: string,
    { reason, by }: { reason: string; by: string },
    now = new Date(),
  ): Promise<LiftedSuspension> {
    const { suspension, hold } = await this.standing(userId);
    if (!suspension) throw suspensionNotFound(userId);
    const at = now.toISOString();
    const plan = new TransactionPlan<'suspension' | 'hold' | 'audit'>()
      .add('suspension', {
        Delete: {
          TableName: this.tableName,
          Key: userSuspensionKey(userId),
          ConditionExpression: 'since = :since',
          ExpressionAttributeValues: { ':since': suspension.since },
        },
      })
      .add(
        'audit',
        auditEntryPut(this.tableName, {
          at,
          action: 'user.reinstated',
          actor: by,
          target: { kind: 'user', id: userId },
          reason,
        }),
      );
    if (hold && hold.since === suspension.payoutHoldSince) {
      plan.add('hold', ...holdRelease(this.tableName, hold, { by, at, reason: `Reinstated: ${reason}` }));
    }
    if (await plan.write(this.client)) throw concurrentModification();
    return { ...suspension, reinstated: { by, at, reason } };
  }
}
