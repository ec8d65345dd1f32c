import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type CommissionRules,
  defaultCommissionRules,
  salesVolumeDays,
  salesVolumeWindow,
  utcDay,
} from '../domain/commission.ts';
import { DomainError } from '../domain/errors.ts';
import { conditionalWrite, type TransactItem } from './conditional.ts';
import { entities, keys } from './table.ts';

/** The rule set in force and its version, which travels as its ETag. */
export interface StoredCommissionRules {
  readonly rules: CommissionRules;
  /** 0 while no rule set was ever saved and the default rules are in force. */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** A rule set is saved already, and the caller did not say which version it replaces. */
export class CommissionRulesExist extends Error {
  constructor(readonly version: number) {
    super(`A commission rule set is saved (version ${version}); say which version you replace.`);
    this.name = 'CommissionRulesExist';
  }
}

/** The platform's commission rules: one item in the single table. See README.md beside this file. */
export class CommissionRulesStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The saved rule set, else the default one at version 0. Strongly consistent: a saved change applies at once. */
  async get(): Promise<StoredCommissionRules> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.commissionRules(), ConsistentRead: true }),
    );
    if (!Item) return { rules: defaultCommissionRules, version: 0 };
    const { rules, version, updatedAt, updatedBy } = Item as Required<StoredCommissionRules>;
    return { rules, version, updatedAt, updatedBy };
  }

  /**
   * Replaces the rule set if it is still at `expectedVersion` (0: none saved yet). Without an
   * expected version it saves the first rule set only, and throws `CommissionRulesExist` otherwise.
   */
  async save(
    rules: CommissionRules,
    expectedVersion: number | undefined,
    updatedBy: string,
    now = new Date(),
  ): Promise<StoredCommissionRules> {
    const saved: Required<StoredCommissionRules> = {
      rules,
      version: (expectedVersion ?? 0) + 1,
      updatedAt: now.toISOString(),
      updatedBy,
    };
    const first = expectedVersion === undefined || expectedVersion === 0;
    await conditionalWrite(
      () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.commissionRules(), entity: entities.commissionRules, ...saved },
            ConditionExpression: first ? 'attribute_not_exists(PK)' : 'version = :expected',
            ...(first ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (current) => {
        const currentVersion = Number(current?.version ?? 0);
        if (expectedVersion === undefined) throw new CommissionRulesExist(currentVersion);
        throw new DomainError(
          'stale-version',
          'version_mismatch',
          `The commission rules are at version ${currentVersion}, not ${expectedVersion}; read them again.`,
        );
      },
    );
    return saved;
  }
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** Day buckets outlive the window by a margin, then DynamoDB's TTL deletes them. */
const bucketLifetimeDays = salesVolumeDays + 2;

/**
 * Each seller's sales per currency and UTC day, one item per day (`SELLER#<id>`, `SALES#<currency>#<day>`),
 * so one Query reads a trailing window and TTL removes old days. Sales are recorded at capture.
 */
export class SellerSalesStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The write that adds `amount` (minor units) to the seller's sales of `currency` on `day`
   * (`YYYY-MM-DD`, UTC), as one TransactWriteItems action: put it in the capture's transaction so a
   * retried capture counts once. A transaction holds one action per item: sum a seller's sales of
   * one day first.
   */
  saleUpdate(sellerId: string, currency: string, amount: number, day: string): TransactItem {
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new Error(`a sale is a non-negative integer of minor units, not ${amount}`);
    }
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    if (!dayPattern.test(day) || Number.isNaN(dayStart) || utcDay(new Date(dayStart)) !== day) {
      throw new Error(`a sale's day is a UTC date YYYY-MM-DD, not ${day}`);
    }
    const expiresAt = dayStart / 1000 + bucketLifetimeDays * 86_400;
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.sellerDailySales(sellerId, currency, day),
        UpdateExpression:
          'ADD #amount :amount SET #entity = :entity, #sellerId = :sellerId, #currency = :currency, #day = :day, #expiresAt = :expiresAt',
        ExpressionAttributeNames: {
          '#amount': 'amount',
          '#entity': 'entity',
          '#sellerId': 'sellerId',
          '#currency': 'currency',
          '#day': 'day',
          '#expiresAt': 'expiresAt',
        },
        ExpressionAttributeValues: {
          ':amount': amount,
          ':entity': entities.sellerDailySales,
          ':sellerId': sellerId,
          ':currency': currency,
          ':day': day,
          ':expiresAt': expiresAt,
        },
      },
    };
  }

  /**
   * Adds a captured sale to the seller's volume on its day. Not idempotent: a retry counts twice,
   * unless the sale goes into the capture's own transaction through `saleUpdate`.
   */
  async recordSale(sellerId: string, currency: string, amount: number, day: string): Promise<void> {
    const { Update } = this.saleUpdate(sellerId, currency, amount, day);
    await this.client.send(new UpdateCommand(Update as NonNullable<typeof Update>));
  }

  /**
   * The seller's sales of `currency` in the 30 UTC days ending with `now`'s day: one Query of at
   * most 30 small items. No sales is 0.
   */
  async trailingVolume(sellerId: string, currency: string, now = new Date()): Promise<number> {
    const { from, to } = salesVolumeWindow(now);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.sellerDailySales(sellerId, currency, from).PK,
          ':from': keys.sellerDailySales(sellerId, currency, from).SK,
          ':to': keys.sellerDailySales(sellerId, currency, to).SK,
        },
        ProjectionExpression: '#amount',
        ExpressionAttributeNames: { '#amount': 'amount' },
      }),
    );
    return Items.reduce((sum, item) => sum + Number(item.amount ?? 0), 0);
  }
}
