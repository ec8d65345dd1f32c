import { createHash } from 'node:crypto';
import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Account,
  isDebitNormal,
  normalBalance,
  type PlatformAccountType,
  parseAccount,
  platformAccountTypes,
  type UserAccount,
  type UserAccountType,
  userAccount,
  userIdOf,
} from '../domain/ledger/accounts.ts';
import { insufficientBalance } from '../domain/ledger/balances.ts';
import type { LedgerEntry, LedgerScope, LedgerTransaction } from '../domain/ledger/transaction.ts';
import { batchGetAll } from './batch-get.ts';
import { concurrentModification, fromAttributeValues, type TransactItem } from './conditional.ts';
import type { PlatformBalances, PostedTransaction, StatementEntry, UserBalances } from './ledger-views.ts';
import { type Page, queryAll, queryPage, queryPages } from './query-page.ts';
import { entities, keys, withoutKeys } from './table.ts';

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

/** The DynamoDB actions `transactItems` returns: within a transaction's limit of 100 with the caller's. */
export const ledgerActionCount = (transaction: LedgerTransaction) => 1 + 2 * transaction.entries.length;

function balanceKey(account: Account, currency: string, transactionId: string) {
  const { owner, type } = parseAccount(account);
  return keys.ledgerBalance(owner, currency, type, owner === 'platform' ? shardOf(transactionId) : undefined);
}

/**
 * What a cancelled DynamoDB transaction says about the ledger transaction whose items it held,
 * `reasons` from the first of them on, in `transactItems` order: the transaction was posted before
 * ('already-posted'), an entry that must be covered was not (throws insufficient_balance), a
 * concurrent transaction wrote the same items (throws concurrent_modification), or undefined when
 * the ledger items were not the reason.
 */
export function ledgerCancellation(
  transaction: LedgerTransaction,
  reasons: readonly CancellationReason[],
): 'already-posted' | undefined {
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'already-posted';
  const balanceReasons = reasons.slice(1 + transaction.entries.length, ledgerActionCount(transaction));
  for (const [index, reason] of balanceReasons.entries()) {
    const entry = transaction.entries[index];
    if (entry && reason.Code === 'ConditionalCheckFailed') {
      const balance = Number(fromAttributeValues(reason.Item)?.balance ?? 0);
      const held = normalBalance(entry.account, balance);
      throw insufficientBalance(
        entry.account,
        transaction.currency,
        held,
        -normalBalance(entry.account, entry.amount),
      );
    }
  }
  if (
    reasons.slice(0, ledgerActionCount(transaction)).some((reason) => reason.Code === 'TransactionConflict')
  ) {
    throw concurrentModification();
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
   * new), its entry items, then one balance update per entry, in the order of its entries
   * (`ledgerCancellation` reads the reasons in this order). Two ledger transactions that touch
   * the same user account cannot share a DynamoDB transaction.
   */
  transactItems(transaction: LedgerTransaction, now = new Date()): TransactItem[] {
    const postedAt = now.toISOString();
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.ledgerTransaction(transaction.scope, transaction.id),
            entity: entities.ledgerTransaction,
            ...transaction,
            postedAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...transaction.entries.map((entry) => this.entryPut(transaction, entry, postedAt)),
      ...transaction.entries.map((entry) => this.balanceUpdate(transaction, entry)),
    ];
  }

  /** Posts `transaction` on its own; one already posted (by id) is left as it is. */
  async post(transaction: LedgerTransaction, now = new Date()): Promise<'posted' | 'already-posted'> {
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: this.transactItems(transaction, now) }),
      );
      return 'posted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const outcome = ledgerCancellation(transaction, error.CancellationReasons ?? []);
      if (outcome) return outcome;
      throw error;
    }
  }

  /** The transactions of an order or a transfer (strongly consistent), for the posting rules. */
  async transactions(scope: LedgerScope): Promise<PostedTransaction[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.ledgerPartition(scope).PK, ':prefix': 'TX#' },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys(item) as unknown as PostedTransaction);
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
        (['available', 'frozen'] as const).map((type) =>
          keys.ledgerBalance(`user:${userId}`, currency, type),
        ),
      ),
    );
    const balances = new Map<string, { available: number; frozen: number }>();
    for (const item of items) {
      const account = item.account as UserAccount;
      const userId = userIdOf(account);
      const held = balances.get(userId) ?? { available: 0, frozen: 0 };
      const type = parseAccount(account).type === 'frozen' ? 'frozen' : 'available';
      held[type] = normalBalance(account, Number(item.balance));
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
    const partition = keys.ledgerPartition(owner);
    const inCurrency = currency === undefined ? undefined : keys.ledgerEntriesInCurrency(owner, currency);
    const page = await queryPage(
      this.client,
      inCurrency
        ? {
            TableName: this.tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
            ExpressionAttributeValues: { ':pk': inCurrency.GSI1PK, ':prefix': 'ENTRY#' },
            ScanIndexForward: false,
          }
        : {
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': partition.PK, ':prefix': 'ENTRY#' },
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
      items: page.items.map((item) => {
        const account = item.account as Account;
        return {
          transactionId: item.transactionId,
          kind: item.kind,
          scope: item.scope,
          account: parseAccount(account).type,
          currency: item.currency,
          amount: normalBalance(account, Number(item.amount)),
          postedAt: item.postedAt,
        } as StatementEntry;
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
          ':pk': keys.payableBalance(currency, shard, '').GSI1PK,
          ':floor': -minimum,
        },
      })) {
        yield items.map((item) => {
          const account = item.account as UserAccount;
          return { userId: userIdOf(account), available: normalBalance(account, Number(item.balance)) };
        });
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
        ':pk': keys.ledgerEntriesInCurrency(owner, currency).GSI1PK,
        ':since': `ENTRY#${since}`,
        ':account': userAccount(userId, 'available'),
      },
    });
    return items.reduce((sum, item) => sum + normalBalance(item.account as Account, Number(item.amount)), 0);
  }

  private entryPut(transaction: LedgerTransaction, entry: LedgerEntry, postedAt: string): TransactItem {
    const { owner, type } = parseAccount(entry.account);
    const key = keys.ledgerEntry(owner, postedAt, transaction.id, type);
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...key,
          ...keys.ledgerEntriesInCurrency(owner, transaction.currency),
          GSI1SK: key.SK,
          entity: entities.ledgerEntry,
          transactionId: transaction.id,
          kind: transaction.kind,
          scope: transaction.scope,
          account: entry.account,
          currency: transaction.currency,
          amount: entry.amount,
          postedAt,
        },
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
      type === 'available'
        ? keys.payableBalance(transaction.currency, payableShardOf(owner), owner)
        : undefined;
    return {
      Update: {
        TableName: this.tableName,
        Key: balanceKey(entry.account, transaction.currency, transaction.id),
        UpdateExpression: `SET #entity = :entity, #account = :account, #currency = :currency${
          payable ? ', GSI1PK = :payablePk, GSI1SK = :payableSk' : ''
        } ADD #balance :amount`,
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#account': 'account',
          '#currency': 'currency',
          '#balance': 'balance',
        },
        ExpressionAttributeValues: {
          ':entity': entities.ledgerBalance,
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
      ExpressionAttributeValues: { ':pk': keys.ledgerPartition(owner).PK, ':prefix': 'BALANCE#' },
      ConsistentRead: true,
    });
    const byCurrency = new Map<string, Map<string, number>>();
    for (const item of items) {
      const account = item.account as Account;
      const currency = String(item.currency);
      const balances = byCurrency.get(currency) ?? new Map<string, number>();
      const { type } = parseAccount(account);
      balances.set(type, (balances.get(type) ?? 0) + normalBalance(account, Number(item.balance)));
      byCurrency.set(currency, balances);
    }
    return byCurrency;
  }
}
