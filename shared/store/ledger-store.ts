import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Account,
  isDebitNormal,
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
import { insufficientBalance } from '../domain/ledger/balances.ts';
import type { LedgerEntry, LedgerScope, LedgerTransaction } from '../domain/ledger/transaction.ts';
import { batchGetAll } from './batch-get.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  ledgerBalanceEntity,
  ledgerBalanceKey,
  ledgerBalancePrefix,
  payableIndexKeys,
  payablePartition,
} from './entities/ledger-balance.ts';
import {
  ledgerEntriesInCurrency,
  ledgerEntryEntity,
  ledgerEntryKey,
  ledgerEntryPrefix,
} from './entities/ledger-entry.ts';
import {
  ledgerPartition,
  ledgerTransactionEntity,
  ledgerTransactionKey,
  ledgerTransactionPrefix,
} from './entities/ledger-transaction.ts';
import type { PlatformBalances, PostedTransaction, StatementEntry, UserBalances } from './ledger-views.ts';
import { type Page, queryAll, queryPage, queryPages } from './query-page.ts';
import { type CancelledTransaction, TransactionPlan } from './transaction.ts';

/**
 * Every capture, refund and transfer updates platform balances. DynamoDB cancels a transaction
 * that writes an item another running transaction writes, so each platform balance is spread
 * over several items (chosen by transaction id) that one Query adds up.
 */
const platformBalanceShards = 10;

const shardOf = (transactionId: string) =>
  createHash('sha256').update(transactionId).digest().readUInt32BE(0) % platformBalanceShards;

/**
 * Every sale, refund and payout writes its sellers' available balances, and with them the payable
 * index: spread over shards by user, so no one index partition takes every write of a currency.
 */
const payableShards = 10;

const payableShardOf = (owner: string) =>
  createHash('sha256').update(owner).digest().readUInt32BE(0) % payableShards;

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

function balanceKey(account: Account, currency: string, transactionId: string) {
  const { owner, type } = parseAccount(account);
  return ledgerBalanceKey(owner, currency, type, owner === 'platform' ? shardOf(transactionId) : undefined);
}

/** The names `addLedgerPosting` gives the actions that post a ledger transaction. */
export type LedgerWrite = 'ledgerTransaction' | 'ledgerEntries' | 'ledgerBalances';

/**
 * What a cancelled DynamoDB transaction says about the ledger transaction it held (added with
 * `addLedgerPosting`): the transaction was posted before ('already-posted'), an entry that must be
 * covered was not (throws insufficient_balance), or undefined when no ledger condition failed.
 */
export function ledgerCancellation<Name extends string>(
  transaction: LedgerTransaction,
  cancelled: CancelledTransaction<Name | LedgerWrite>,
): 'already-posted' | undefined {
  if (cancelled.has('ledgerTransaction')) return 'already-posted';
  for (const { position, current } of cancelled.failedAt('ledgerBalances')) {
    const entry = transaction.entries[position];
    if (!entry) continue;
    const held = normalBalance(entry.account, decodeIfPresent(ledgerBalanceEntity, current)?.balance ?? 0);
    throw insufficientBalance(
      entry.account,
      transaction.currency,
      held,
      -normalBalance(entry.account, entry.amount),
    );
  }
  return undefined;
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
   * transaction as the business change it belongs to: the transaction item (only if its id is
   * new), its entry items, then one balance update per entry, in the order of its entries. Two
   * ledger transactions that touch the same user account cannot share a DynamoDB transaction.
   */
  transactItems(transaction: LedgerTransaction, now = new Date()): TransactItem[] {
    const { transactionPut, entryPuts, balanceUpdates } = this.posting(transaction, now);
    return [transactionPut, ...entryPuts, ...balanceUpdates];
  }

  /** Adds the actions of `transactItems` to `plan`, named for `ledgerCancellation`. */
  addPosting<Name extends string>(
    plan: TransactionPlan<Name | LedgerWrite>,
    transaction: LedgerTransaction,
    now = new Date(),
  ): void {
    const { transactionPut, entryPuts, balanceUpdates } = this.posting(transaction, now);
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

  private posting(transaction: LedgerTransaction, now: Date) {
    const postedAt = now.toISOString();
    return {
      transactionPut: {
        Put: {
          TableName: this.tableName,
          Item: ledgerTransactionEntity.item(ledgerTransactionKey(transaction.scope, transaction.id), {
            ...transaction,
            postedAt,
          }),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      entryPuts: transaction.entries.map((entry) => this.entryPut(transaction, entry, postedAt)),
      balanceUpdates: transaction.entries.map((entry) => this.balanceUpdate(transaction, entry)),
    } satisfies Record<string, TransactItem | TransactItem[]>;
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

  private entryPut(transaction: LedgerTransaction, entry: LedgerEntry, postedAt: string): TransactItem {
    const { owner, type } = parseAccount(entry.account);
    const key = ledgerEntryKey(owner, postedAt, transaction.id, type);
    return {
      Put: {
        TableName: this.tableName,
        Item: ledgerEntryEntity.item(
          { ...key, ...ledgerEntriesInCurrency(owner, transaction.currency), GSI1SK: key.SK },
          {
            transactionId: transaction.id,
            kind: transaction.kind,
            scope: transaction.scope,
            account: entry.account,
            currency: transaction.currency,
            amount: entry.amount,
            postedAt,
          },
        ),
      },
    };
  }

  /**
   * Adds the entry to its balance; a covered entry only if the balance stays on its side of zero.
   * A user's available balance also joins the payable index of its currency.
   */
  private balanceUpdate(transaction: LedgerTransaction, entry: LedgerEntry): TransactItem {
    const { owner, type } = parseAccount(entry.account);
    const payable =
      type === 'available' ? payableIndexKeys(transaction.currency, payableShardOf(owner), owner) : undefined;
    return {
      Update: {
        TableName: this.tableName,
        Key: balanceKey(entry.account, transaction.currency, transaction.id),
        UpdateExpression: `SET #entity = :entity, #schemaVersion = :schemaVersion, #account = :account, #currency = :currency${
          payable ? ', GSI1PK = :payablePk, GSI1SK = :payableSk' : ''
        } ADD #balance :amount`,
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#schemaVersion': 'schemaVersion',
          '#account': 'account',
          '#currency': 'currency',
          '#balance': 'balance',
        },
        ExpressionAttributeValues: {
          ':entity': ledgerBalanceEntity.name,
          ':schemaVersion': ledgerBalanceEntity.version,
          ':account': entry.account,
          ':currency': transaction.currency,
          ':amount': entry.amount,
          ...(payable ? { ':payablePk': payable.GSI1PK, ':payableSk': payable.GSI1SK } : {}),
          ...(entry.mustBeCovered ? { ':floor': -entry.amount } : {}),
        },
        ...(entry.mustBeCovered
          ? {
              ConditionExpression: isDebitNormal(entry.account) ? '#balance >= :floor' : '#balance <= :floor',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }
          : {}),
      },
    };
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
