import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BuyerStanding,
  type DayChange,
  type Sale,
  type SalesChange,
  type SalesVolume,
  saleCaptured,
  saleReturned,
  salesVolumeDays,
  salesVolumeWindow,
  utcDay,
} from '../domain/sales-volume.ts';
import { kpiHistoryDays } from '../domain/seller-kpis.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { type StoredStanding, sellerBuyerEntity, sellerBuyerKey } from './entities/seller-buyer.ts';
import {
  type DailySales,
  sellerDailySalesEntity,
  sellerDailySalesKey,
} from './entities/seller-daily-sales.ts';

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** A buyer's standing outlives the volume's window by a margin, then DynamoDB's TTL deletes it. */
const standingLifetimeDays = salesVolumeDays + 2;

const expiryOf = (day: string, lifetimeDays: number) =>
  Date.parse(`${day}T00:00:00Z`) / 1000 + lifetimeDays * 86_400;

function assertSale({ amount, day }: Sale): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new Error(`a sale is a non-negative integer of minor units, not ${amount}`);
  }
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  if (!dayPattern.test(day) || Number.isNaN(dayStart) || utcDay(new Date(dayStart)) !== day) {
    throw new Error(`a sale's day is a UTC date YYYY-MM-DD, not ${day}`);
  }
}

/**
 * Each seller's net sales and distinct buyers per currency and UTC day, one item per day
 * (`SELLER#<id>`, `SALES#<currency>#<day>`), so one Query reads a trailing window and TTL removes
 * old days; and where each buyer stands with the seller (`BUYER#<currency>#<buyerId>`), which
 * decides when the buyer counts. See README.md beside this file.
 */
export class SellerSalesStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The writes that record a capture, for the capture's own transaction (so a retried capture
   * counts once). They hold only while the buyer's standing is as read here: when one fails, read
   * again (`OrderStore.update`'s `alsoWriteIfUnchanged` does).
   */
  saleWrites(sale: Sale): Promise<TransactItem[]> {
    return this.writes(sale, saleCaptured);
  }

  /** The writes that record a refund or a lost chargeback, for its ledger posting's transaction; as `saleWrites`. */
  returnWrites(sale: Sale): Promise<TransactItem[]> {
    return this.writes(sale, saleReturned);
  }

  /**
   * The seller's sales of `currency` in the 30 UTC days ending with `now`'s day: one Query of at
   * most 30 small items (read whole: a projection would cost the same read capacity). Refunds of sales older than the window can take more than the window
   * holds: the amount is never below 0.
   */
  async trailingVolume(sellerId: string, currency: string, now = new Date()): Promise<SalesVolume> {
    const { from, to } = salesVolumeWindow(now);
    const first = sellerDailySalesKey(sellerId, currency, from);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': first.PK,
          ':from': first.SK,
          ':to': sellerDailySalesKey(sellerId, currency, to).SK,
        },
      }),
    );
    const days = Items.map((item) => sellerDailySalesEntity.decode(item));
    const sum = (attribute: 'amount' | 'buyers') => days.reduce((total, day) => total + day[attribute], 0);
    return { amount: Math.max(0, sum('amount')), buyers: sum('buyers') };
  }

  /**
   * The seller's day items of every currency from `from` (a UTC day) on, for their dashboard's
   * revenue: one Query of the items the table keeps (`kpiHistoryDays` per currency), the older ones
   * left out.
   */
  async dailySalesSince(sellerId: string, from: string): Promise<DailySales[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': sellerDailySalesKey(sellerId, '', '').PK, ':prefix': 'SALES#' },
      }),
    );
    return Items.map((item) => sellerDailySalesEntity.decode(item)).filter((day) => day.day >= from);
  }

  private async writes(
    sale: Sale,
    rule: (standing: BuyerStanding | undefined, sale: Sale) => SalesChange,
  ): Promise<TransactItem[]> {
    assertSale(sale);
    const stored = await this.standing(sale);
    const { days, standing } = rule(stored, sale);
    return [
      ...days.map((change) => this.dayUpdate(sale, change)),
      ...(standing ? [this.standingPut(sale, standing, stored?.version)] : []),
    ];
  }

  private async standing({ sellerId, currency, buyerId }: Sale): Promise<StoredStanding | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: sellerBuyerKey(sellerId, currency, buyerId),
        ConsistentRead: true,
      }),
    );
    return decodeIfPresent(sellerBuyerEntity, Item);
  }

  /** Adds to one day's item (creating it): commutative, so concurrent sales need no condition. */
  private dayUpdate({ sellerId, currency }: Sale, { day, amount, buyers }: DayChange): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: sellerDailySalesKey(sellerId, currency, day),
        UpdateExpression:
          'ADD #amount :amount, #buyers :buyers SET #entity = :entity, #schemaVersion = :schemaVersion, #sellerId = :sellerId, #currency = :currency, #day = :day, #expiresAt = :expiresAt',
        ExpressionAttributeNames: {
          '#amount': 'amount',
          '#buyers': 'buyers',
          '#entity': 'entity',
          '#schemaVersion': 'schemaVersion',
          '#sellerId': 'sellerId',
          '#currency': 'currency',
          '#day': 'day',
          '#expiresAt': 'expiresAt',
        },
        ExpressionAttributeValues: {
          ':amount': amount,
          ':buyers': buyers,
          ':entity': sellerDailySalesEntity.name,
          ':schemaVersion': sellerDailySalesEntity.version,
          ':sellerId': sellerId,
          ':currency': currency,
          ':day': day,
          ':expiresAt': expiryOf(day, kpiHistoryDays),
        },
      },
    };
  }

  /** Replaces the buyer's standing if it is still at the version read (none read: if there is none). */
  private standingPut(sale: Sale, standing: BuyerStanding, readVersion: number | undefined): TransactItem {
    const { sellerId, currency, buyerId } = sale;
    return {
      Put: {
        TableName: this.tableName,
        Item: sellerBuyerEntity.item(sellerBuyerKey(sellerId, currency, buyerId), {
          sellerId,
          currency,
          buyerId,
          day: standing.day,
          net: standing.net,
          version: (readVersion ?? 0) + 1,
          expiresAt: expiryOf(standing.day, standingLifetimeDays),
        }),
        ...(readVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': readVersion },
            }),
      },
    };
  }
}
