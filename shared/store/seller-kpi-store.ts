import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderStatus } from '../domain/order.ts';
import type { SellerPaymentsAccount } from '../domain/payments-account.ts';
import { counterNames, type KpiCounters } from '../domain/seller-kpis.ts';
import { batchGetAll } from './batch-get.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { paymentsAccountEntity, paymentsAccountKey } from './entities/payments-account.ts';
import { payoutHoldEntity, payoutHoldKey, type SellerPayoutHold } from './entities/payout-hold.ts';
import {
  acceptanceTimeAttribute,
  type DailyKpis,
  kpiDayExpiry,
  type OrderStatusCounts,
  sellerDailyKpisEntity,
  sellerDailyKpisKey,
  sellerKpiSourceEntity,
  sellerKpiSourceKey,
  sellerOrderCountsEntity,
  sellerOrderCountsKey,
  sellerWaitingOrderEntity,
  sellerWaitingOrderKey,
  type WaitingOrder,
  waitingOrderPrefix,
} from './entities/seller-kpis.ts';
import { sellerProfileKey } from './entities/seller-profile.ts';
import {
  type QualityStanding,
  sellerQualityStandingEntity,
  sellerQualityStandingKey,
} from './entities/seller-quality.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { TransactionPlan } from './transaction.ts';

/** What one stream record's change does to one seller's dashboard and KPIs. */
export interface SellerKpiChange {
  readonly sourceId: string;
  readonly sellerId: string;
  /** Counters added to the day the change happened on; absent when it adds none. */
  readonly day?: { readonly day: string; readonly counters: KpiCounters };
  /** Orders leaving (-1) and entering (+1) each status. */
  readonly statusMoves: Readonly<Partial<Record<OrderStatus, number>>>;
  /** The order stops waiting for the seller at one step, or starts at another. */
  readonly stopsWaiting?: WaitingOrder;
  readonly startsWaiting?: WaitingOrder;
}

export interface DashboardItems {
  readonly hasProfile: boolean;
  readonly orderCounts: OrderStatusCounts;
  readonly suspended: boolean;
  readonly standing?: QualityStanding;
  readonly hold?: SellerPayoutHold;
  readonly account?: SellerPaymentsAccount;
}

/** Stream records are kept 24 hours; their markers two days. */
const sourceRetentionSeconds = 2 * 86_400;

/** ADD of every non-zero counter of a day, with the item's identity SET. */
function dayUpdate(tableName: string, sellerId: string, day: string, counters: KpiCounters): TransactItem {
  const added: [string, number][] = [
    ...counterNames.map((name): [string, number] => [name, counters[name]]),
    ...counters.acceptanceTimes.map((count, bucket): [string, number] => [
      acceptanceTimeAttribute(bucket),
      count,
    ]),
  ].filter(([, value]) => value !== 0);
  const names = Object.fromEntries(added.map(([attribute], index) => [`#a${index}`, attribute]));
  const values = Object.fromEntries(added.map(([, value], index) => [`:a${index}`, value]));
  return {
    Update: {
      TableName: tableName,
      Key: sellerDailyKpisKey(sellerId, day),
      UpdateExpression: `ADD ${added.map((_, index) => `#a${index} :a${index}`).join(', ')} SET #entity = :entity, #schemaVersion = :schemaVersion, sellerId = :sellerId, #day = :day, expiresAt = :expiresAt`,
      ExpressionAttributeNames: {
        ...names,
        '#entity': 'entity',
        '#schemaVersion': 'schemaVersion',
        '#day': 'day',
      },
      ExpressionAttributeValues: {
        ...values,
        ':entity': sellerDailyKpisEntity.name,
        ':schemaVersion': sellerDailyKpisEntity.version,
        ':sellerId': sellerId,
        ':day': day,
        ':expiresAt': kpiDayExpiry(day),
      },
    },
  };
}

function countsUpdate(
  tableName: string,
  sellerId: string,
  moves: SellerKpiChange['statusMoves'],
): TransactItem {
  const entries = Object.entries(moves);
  return {
    Update: {
      TableName: tableName,
      Key: sellerOrderCountsKey(sellerId),
      UpdateExpression: `SET #entity = :entity, #schemaVersion = :schemaVersion ADD ${entries.map((_, index) => `#s${index} :s${index}`).join(', ')}`,
      ExpressionAttributeNames: {
        '#entity': 'entity',
        '#schemaVersion': 'schemaVersion',
        ...Object.fromEntries(entries.map(([status], index) => [`#s${index}`, status])),
      },
      ExpressionAttributeValues: {
        ':entity': sellerOrderCountsEntity.name,
        ':schemaVersion': sellerOrderCountsEntity.version,
        ...Object.fromEntries(entries.map(([, move], index) => [`:s${index}`, move])),
      },
    },
  };
}

/**
 * Each seller's KPI counters per UTC day, the count of their orders in each status and the orders
 * waiting for them, kept from the table's stream. See README.md beside this file.
 */
export class SellerKpiStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Applies one stream record's change. Its additions (day counters, status counts) go in one
   * transaction with the record's marker, so a record applied already adds nothing
   * (`already-applied`). The waiting orders' Delete and Put are written every time, after: they set
   * an item to what the record says, so records delivered again in their order end as the last one
   * says, and they need no marker.
   */
  async apply(change: SellerKpiChange, now = new Date()): Promise<'applied' | 'already-applied'> {
    const { tableName } = this;
    const additions: TransactItem[] = [
      ...(change.day ? [dayUpdate(tableName, change.sellerId, change.day.day, change.day.counters)] : []),
      ...(Object.keys(change.statusMoves).length > 0
        ? [countsUpdate(tableName, change.sellerId, change.statusMoves)]
        : []),
    ];
    let outcome: 'applied' | 'already-applied' = 'applied';
    if (additions.length > 0) {
      const cancelled = await new TransactionPlan<'source' | 'additions'>()
        .add('source', {
          Put: {
            TableName: tableName,
            Item: sellerKpiSourceEntity.item(sellerKpiSourceKey(change.sourceId), {
              expiresAt: Math.floor(now.getTime() / 1000) + sourceRetentionSeconds,
            }),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })
        .add('additions', ...additions)
        .write(this.client);
      if (cancelled && !cancelled.has('source')) throw cancelled.unexplained();
      if (cancelled) outcome = 'already-applied';
    }
    if (change.stopsWaiting) {
      const { sellerId, deadline, orderId } = change.stopsWaiting;
      await this.client.send(
        new DeleteCommand({ TableName: tableName, Key: sellerWaitingOrderKey(sellerId, deadline, orderId) }),
      );
    }
    if (change.startsWaiting) {
      const waiting = change.startsWaiting;
      await this.client.send(
        new PutCommand({
          TableName: tableName,
          Item: sellerWaitingOrderEntity.item(
            sellerWaitingOrderKey(waiting.sellerId, waiting.deadline, waiting.orderId),
            waiting,
          ),
        }),
      );
    }
    return outcome;
  }

  /**
   * What a seller's dashboard reads of single items, in one BatchGetItem: whether they have a
   * profile, their order counts, quality standing, payout hold, suspension and payments account.
   */
  async dashboardItems(sellerId: string): Promise<DashboardItems> {
    const keys = {
      profile: sellerProfileKey(sellerId),
      counts: sellerOrderCountsKey(sellerId),
      standing: sellerQualityStandingKey(sellerId),
      hold: payoutHoldKey(sellerId),
      suspension: userSuspensionKey(sellerId),
      account: paymentsAccountKey(sellerId),
    };
    const items = await batchGetAll(this.client, this.tableName, Object.values(keys));
    const find = ({ PK, SK }: { PK: string; SK: string }) =>
      items.find((item) => item.PK === PK && item.SK === SK);
    const standing = decodeIfPresent(sellerQualityStandingEntity, find(keys.standing));
    const hold = decodeIfPresent(payoutHoldEntity, find(keys.hold));
    const account = decodeIfPresent(paymentsAccountEntity, find(keys.account));
    return {
      hasProfile: find(keys.profile) !== undefined,
      orderCounts: sellerOrderCountsEntity.decode(find(keys.counts) ?? {}),
      suspended: find(keys.suspension) !== undefined,
      ...(standing ? { standing } : {}),
      ...(hold ? { hold } : {}),
      ...(account ? { account } : {}),
    };
  }

  /** The seller's days from `from` to `to` (UTC days, inclusive): one Query of at most that many items. */
  async days(sellerId: string, from: string, to: string): Promise<DailyKpis[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': sellerDailyKpisKey(sellerId, from).PK,
          ':from': sellerDailyKpisKey(sellerId, from).SK,
          ':to': sellerDailyKpisKey(sellerId, to).SK,
        },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => sellerDailyKpisEntity.decode(item));
  }

  /** The orders waiting for the seller, soonest deadline first: one Query of `limit` (and one more, to tell). */
  async waitingOrders(sellerId: string, limit: number): Promise<{ items: WaitingOrder[]; more: boolean }> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': sellerOrderCountsKey(sellerId).PK,
          ':prefix': waitingOrderPrefix,
        },
        Limit: limit + 1,
      }),
    );
    const items = Items.map((item) => sellerWaitingOrderEntity.decode(item));
    return { items: items.slice(0, limit), more: items.length > limit };
  }
}
