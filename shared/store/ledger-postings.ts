import { createHash } from 'node:crypto';
import { type Account, isDebitNormal, normalBalance, parseAccount } from '../domain/ledger/accounts.ts';
import { insufficientBalance } from '../domain/ledger/balances.ts';
import type { LedgerEntry, LedgerTransaction } from '../domain/ledger/transaction.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { ledgerBalanceEntity, ledgerBalanceKey, payableIndexKeys } from './entities/ledger-balance.ts';
import { ledgerEntriesInCurrency, ledgerEntryEntity, ledgerEntryKey } from './entities/ledger-entry.ts';
import { ledgerTransactionEntity, ledgerTransactionKey } from './entities/ledger-transaction.ts';
import type { CancelledTransaction } from './transaction.ts';

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
export const payableShards = 10;

const payableShardOf = (owner: string) =>
  createHash('sha256').update(owner).digest().readUInt32BE(0) % payableShards;

function balanceKey(account: Account, currency: string, transactionId: string) {
  const { owner, type } = parseAccount(account);
  return ledgerBalanceKey(owner, currency, type, owner === 'platform' ? shardOf(transactionId) : undefined);
}

/** The names `LedgerStore.addPosting` gives the actions that post a ledger transaction. */
export type LedgerWrite = 'ledgerTransaction' | 'ledgerEntries' | 'ledgerBalances';

/**
 * What a cancelled DynamoDB transaction says about the ledger transaction it held (added with
 * `LedgerStore.addPosting`): the transaction was posted before ('already-posted'), an entry that must be
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
 * The actions that post `transaction`: the transaction item (only if its id is new, and holding
 * every entry), an entry item for each entry of a user's account (their statement), then one
 * balance update per entry, in the order of its entries. The platform's entries stay in their
 * transaction item alone: nothing reads them by account, and one partition taking every sale's
 * entries would cap the marketplace's write rate.
 */
export function ledgerPosting(tableName: string, transaction: LedgerTransaction, now: Date) {
  const postedAt = now.toISOString();
  return {
    transactionPut: {
      Put: {
        TableName: tableName,
        Item: ledgerTransactionEntity.item(ledgerTransactionKey(transaction.scope, transaction.id), {
          ...transaction,
          postedAt,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    entryPuts: transaction.entries
      .filter((entry) => parseAccount(entry.account).owner !== 'platform')
      .map((entry) => entryPut(tableName, transaction, entry, postedAt)),
    balanceUpdates: transaction.entries.map((entry) => balanceUpdate(tableName, transaction, entry)),
  } satisfies Record<string, TransactItem | TransactItem[]>;
}

function entryPut(
  tableName: string,
  transaction: LedgerTransaction,
  entry: LedgerEntry,
  postedAt: string,
): TransactItem {
  const { owner, type } = parseAccount(entry.account);
  const key = ledgerEntryKey(owner, postedAt, transaction.id, type);
  return {
    Put: {
      TableName: tableName,
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
function balanceUpdate(tableName: string, transaction: LedgerTransaction, entry: LedgerEntry): TransactItem {
  const { owner, type } = parseAccount(entry.account);
  const payable =
    type === 'available' ? payableIndexKeys(transaction.currency, payableShardOf(owner), owner) : undefined;
  return {
    Update: {
      TableName: tableName,
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
