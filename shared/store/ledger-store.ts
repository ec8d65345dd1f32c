import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Account,
  isUserAccount,
  normalBalance,
  type PlatformAccountType,
  parseAccount,
  platformAccountTypes,
  type UserAccount,
  type UserAccountType,
  userAccount,
  userAccountTypes,
  userIdOf,
} from '../domain/ledger/accounts.ts';
import type { LedgerScope, LedgerTransaction } from '../domain/ledger/transaction.ts';
import { batchGetAll } from './batch-get.ts';
import type { TransactItem } from './conditional.ts';
import {
  ledgerBalanceEntity,
  ledgerBalanceKey,
  ledgerBalancePrefix,
  payablePartition,
} from './entities/ledger-balance.ts';
import { ledgerEntriesInCurrency, ledgerEntryEntity, ledgerEntryPrefix } from './entities/ledger-entry.ts';
import {
  ledgerPartition,
  ledgerTransactionEntity,
  ledgerTransactionPrefix,
} from './entities/ledger-transaction.ts';
import { type LedgerWrite, ledgerCancellation, ledgerPosting, payableShards } from './ledger-postings.ts';
import type { PlatformBalances, PostedTransaction, StatementEntry, UserBalances } from './ledger-views.ts';
import { type Page, queryAll, queryPage, queryPages } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

/** A balance item of a user's account, read by user: its account is a user's. */
function userBalance(item: Record<string, unknown>): { account: UserAccount; balance: number } {
  const { account, balance } = ledgerBalanceEntity.decode(item);
  if (!isUserAccount(account)) throw new Error(`${account} is not a user's account`);
  return { account, balance };
}

function userAccountTypeOf(account: Account): UserAccountType {
  const type = userAccountTypes.find((userType) => userType === parseAccount(account).type);
  if (!isUserAccount(account) || !type) throw new Error(`${account} is not a user's account`);
  return type;
}

/**
 * The double-entry ledger in the table: per transaction one item (its id the idempotency guard),
 * per entry one item in its owner's partition (a user's statement is one Query) and per account
 * and currency one balance item kept by `ADD` (a user's balances are one Query).
 */
export class LedgerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The actions that post `transaction`, for the caller to write in the same DynamoDB
   * transaction as the business change it belongs to: see {@link ledgerPosting}. Two
   * ledger transactions that touch the same user account cannot share a DynamoDB transaction.
   */
  transactItems(transaction: LedgerTransaction, now = new Date()): TransactItem[] {
    const { transactionPut, entryPuts, balanceUpdates } = ledgerPosting(this.tableName, transaction, now);
    return [transactionPut, ...entryPuts, ...balanceUpdates];
  }

  /** Adds the actions of `transactItems` to `plan`, named for `ledgerCancellation`. */
  addPosting<Name extends string>(
    plan: TransactionPlan<Name | LedgerWrite>,
    transaction: LedgerTransaction,
    now = new Date(),
  ): void {
    const { transactionPut, entryPuts, balanceUpdates } = ledgerPosting(this.tableName, transaction, now);
    plan
      .add('ledgerTransaction', transactionPut)
      .add('ledgerEntries', ...entryPuts)
      .add('ledgerBalances', ...balanceUpdates);
  }

  /** Posts `transaction` on its own; one already posted (by id) is left as it is. */
  async post(transaction: LedgerTransaction, now = new Date()): Promise<'posted' | 'already-posted'> {
    const plan = new TransactionPlan<LedgerWrite>();
    this.addPosting(plan, transaction, now);
    const cancelled = await plan.write(this.client);
    if (!cancelled) return 'posted';
    const outcome = ledgerCancellation(transaction, cancelled);
    if (outcome) return outcome;
    throw cancelled.unexplained();
  }

  /** The transactions of an order or a transfer (strongly consistent), for the posting rules. */
  async transactions(scope: LedgerScope): Promise<PostedTransaction[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': ledgerPartition(scope).PK, ':prefix': ledgerTransactionPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => ledgerTransactionEntity.decode(item));
  }

  /** The user's balances in every currency they have any. */
  async balances(userId: string): Promise<UserBalances[]> {
    const byCurrency = await this.balanceItems(`user:${userId}`);
    return [...byCurrency].map(([currency, balances]) => {
      const of = (type: UserAccountType) => balances.get(type) ?? 0;
      return {
        currency,
        pending: of('pending'),
        available: of('available'),
        frozen: of('frozen'),
        paidOut: of('paid-out'),
      };
    });
  }

  /** Of each of these users, what is available and what is frozen in `currency` (absent: none). */
  async payoutBalances(
    userIds: readonly string[],
    currency: string,
  ): Promise<Map<string, { readonly available: number; readonly frozen: number }>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      userIds.flatMap((userId) =>
        (['available', 'frozen'] as const).map((type) => ledgerBalanceKey(`user:${userId}`, currency, type)),
      ),
    );
    const balances = new Map<string, { available: number; frozen: number }>();
    for (const { account, balance } of items.map(userBalance)) {
      const userId = userIdOf(account);
      const held = balances.get(userId) ?? { available: 0, frozen: 0 };
      const type = parseAccount(account).type === 'frozen' ? 'frozen' : 'available';
      held[type] = normalBalance(account, balance);
      balances.set(userId, held);
    }
    return balances;
  }

  async platformBalances(): Promise<PlatformBalances[]> {
    const byCurrency = await this.balanceItems('platform');
    return [...byCurrency].map(([currency, balances]) => ({
      currency,
      ...(Object.fromEntries(platformAccountTypes.map((type) => [type, balances.get(type) ?? 0])) as Record<
        PlatformAccountType,
        number
      >),
    }));
  }

  /** What happened to the user's accounts, newest first, in one currency or all. */
  async statement(
    userId: string,
    { limit, cursor, currency }: { limit: number; cursor?: string; currency?: string },
  ): Promise<Page<StatementEntry>> {
    const owner = `user:${userId}`;
    const partition = ledgerPartition(owner);
    const inCurrency = currency === undefined ? undefined : ledgerEntriesInCurrency(owner, currency);
    const page = await queryPage(
      this.client,
      inCurrency
        ? {
            TableName: this.tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
            ExpressionAttributeValues: { ':pk': inCurrency.GSI1PK, ':prefix': ledgerEntryPrefix },
            ScanIndexForward: false,
          }
        : {
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': partition.PK, ':prefix': ledgerEntryPrefix },
            ScanIndexForward: false,
            ConsistentRead: true,
          },
      {
        kind: 'statement',
        limit,
        cursor,
        sortKeyAttribute: 'SK',
        startKey: (sortKey) => ({
          ...partition,
          SK: sortKey,
          ...(inCurrency ? { ...inCurrency, GSI1SK: sortKey } : {}),
        }),
      },
    );
    return {
      ...page,
      items: page.items.map((item): StatementEntry => {
        const entry = ledgerEntryEntity.decode(item);
        return {
          ...entry,
          account: userAccountTypeOf(entry.account),
          amount: normalBalance(entry.account, entry.amount),
        };
      }),
    };
  }

  /**
   * Every user holding at least `minimum` available in `currency`: one Query of each shard of the
   * payable index, page by page. Eventually consistent: read the balances again before paying.
   */
  async *payableUsers(
    currency: string,
    minimum: number,
  ): AsyncGenerator<{ readonly userId: string; readonly available: number }[]> {
    for (let shard = 0; shard < payableShards; shard += 1) {
      for await (const items of queryPages(this.client, {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        // Available is credit-normal: a balance of -1000 holds 1000.
        FilterExpression: '#balance <= :floor',
        ExpressionAttributeNames: { '#balance': 'balance' },
        ExpressionAttributeValues: {
          ':pk': payablePartition(currency, shard).GSI1PK,
          ':floor': -minimum,
        },
      })) {
        yield items.map(userBalance).map(({ account, balance }) => ({
          userId: userIdOf(account),
          available: normalBalance(account, balance),
        }));
      }
    }
  }

  /** What entries posted at or after `since` added to the user's available balance in `currency`. */
  async availableChangeSince(userId: string, currency: string, since: string): Promise<number> {
    const owner = `user:${userId}`;
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :since',
      FilterExpression: '#account = :account',
      ExpressionAttributeNames: { '#account': 'account' },
      ExpressionAttributeValues: {
        ':pk': ledgerEntriesInCurrency(owner, currency).GSI1PK,
        ':since': `${ledgerEntryPrefix}${since}`,
        ':account': userAccount(userId, 'available'),
      },
    });
    return items
      .map((item) => ledgerEntryEntity.decode(item))
      .reduce((sum, entry) => sum + normalBalance(entry.account, entry.amount), 0);
  }

  /** Balances by currency and account type, platform shards added up. */
  private async balanceItems(owner: string): Promise<Map<string, Map<string, number>>> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': ledgerPartition(owner).PK, ':prefix': ledgerBalancePrefix },
      ConsistentRead: true,
    });
    const byCurrency = new Map<string, Map<string, number>>();
    for (const { account, currency, balance } of items.map((item) => ledgerBalanceEntity.decode(item))) {
      const balances = byCurrency.get(currency) ?? new Map<string, number>();
      const { type } = parseAccount(account);
      balances.set(type, (balances.get(type) ?? 0) + normalBalance(account, balance));
      byCurrency.set(currency, balances);
    }
    return byCurrency;
  }
}
