import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { noQualityRules, type QualityLevel, type QualityRule } from '../domain/quality-rules.ts';
import type { KpiName } from '../domain/seller-kpis.ts';
import type { UserSuspension } from '../domain/suspension.ts';
import { batchGetAll } from './batch-get.ts';
import { concurrentModification, type TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { payoutHoldEntity, payoutHoldKey, type SellerPayoutHold } from './entities/payout-hold.ts';
import {
  type QualityNotice,
  type QualityStanding,
  qualityNoticePrefix,
  qualityRulesEntity,
  qualityRulesKey,
  type StoredQualityRules,
  sellerQualityNoticeEntity,
  sellerQualityNoticeKey,
  sellerQualityStandingEntity,
  sellerQualityStandingKey,
} from './entities/seller-quality.ts';
import { userSuspensionEntity, userSuspensionKey } from './entities/user-suspension.ts';
import { holdPlacement } from './payout-runs/payout-holds.ts';
import { saveRuleSet } from './rule-set-save.ts';
import { suspensionWrites } from './suspension-store.ts';
import { TransactionPlan } from './transaction.ts';

/** Who the audit log and the suspension name for what the quality rules do. */
export const qualityRulesActor = 'quality-rules';

/** A rule set is saved already, and the caller did not say which version it replaces. */
export class QualityRulesExist extends Error {
  constructor(readonly version: number) {
    super(`A quality rule set is saved (version ${version}); say which version you replace.`);
    this.name = 'QualityRulesExist';
  }
}

const storedRules = (item: Record<string, unknown> | undefined): StoredQualityRules =>
  item ? qualityRulesEntity.decode(item) : { ...noQualityRules, version: 0 };

/** What evaluating a seller reads, at once. */
export interface QualityInputs {
  readonly rules: StoredQualityRules;
  readonly standing?: QualityStanding;
  readonly hold?: SellerPayoutHold;
  readonly suspension?: UserSuspension;
}

/** A level crossed, with what it calls for: the notice, the new levels, and at the limit the action. */
export interface QualityCrossing {
  readonly notice: QualityNotice;
  readonly levels: Readonly<Partial<Record<KpiName, QualityLevel>>>;
  readonly rule: QualityRule;
}

/** The quality rules, each seller's standing against them and the notices of levels crossed. */
export class SellerQualityStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The saved rule set, else none at version 0. Strongly consistent: a saved change applies at once. */
  async rules(): Promise<StoredQualityRules> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: qualityRulesKey(), ConsistentRead: true }),
    );
    return storedRules(Item);
  }

  /** Replaces the rule set if still at `expectedVersion` (0 or absent: none saved yet), audited. */
  async saveRules(
    rules: readonly QualityRule[],
    expectedVersion: number | undefined,
    updatedBy: string,
    now = new Date(),
  ): Promise<Required<StoredQualityRules>> {
    const saved = { rules, version: (expectedVersion ?? 0) + 1, updatedAt: now.toISOString(), updatedBy };
    await saveRuleSet(this.client, this.tableName, {
      kind: 'quality-rules',
      item: qualityRulesEntity.item(qualityRulesKey(), saved),
      expectedVersion,
      updatedAt: saved.updatedAt,
      updatedBy,
      versionOf: (current) => storedRules(current).version,
      exists: (version) => new QualityRulesExist(version),
    });
    return saved;
  }

  /** The rules, the seller's standing, payout hold and suspension: one BatchGetItem. */
  async inputs(sellerId: string): Promise<QualityInputs> {
    const keys = [
      qualityRulesKey(),
      sellerQualityStandingKey(sellerId),
      payoutHoldKey(sellerId),
      userSuspensionKey(sellerId),
    ];
    const items = await batchGetAll(this.client, this.tableName, keys);
    const find = ({ PK, SK }: { PK: string; SK: string }) =>
      items.find((item) => item.PK === PK && item.SK === SK);
    const [rules, standing, hold, suspension] = keys.map(find);
    return {
      rules: storedRules(rules),
      ...optional('standing', decodeIfPresent(sellerQualityStandingEntity, standing)),
      ...optional('hold', decodeIfPresent(payoutHoldEntity, hold)),
      ...optional('suspension', decodeIfPresent(userSuspensionEntity, suspension)),
    };
  }

  /**
   * Records a level crossed: the notice and the seller's new levels, on condition the standing is
   * still the one read; at the limit, the rule's action too (a payout hold unless one is in place, or
   * a suspension unless suspended), audited. Answers the standing written; a standing changed
   * meanwhile throws `concurrent_modification`.
   */
  async recordCrossing(
    crossing: QualityCrossing,
    read: Pick<QualityInputs, 'standing' | 'hold' | 'suspension'>,
  ): Promise<QualityStanding> {
    const { notice } = crossing;
    const plan = new TransactionPlan<'standing' | 'notice' | 'action'>()
      .add('standing', this.standingPut(notice.sellerId, crossing.levels, notice.at, read.standing))
      .add('notice', {
        Put: {
          TableName: this.tableName,
          Item: sellerQualityNoticeEntity.item(sellerQualityNoticeKey(notice), notice),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
    if (notice.level === 'limit') plan.add('action', ...this.actionWrites(crossing, read));
    const cancelled = await plan.write(this.client);
    // The standing moved on, or a hold or suspension came, since they were read.
    if (cancelled) throw concurrentModification();
    return this.written(notice.sellerId, crossing.levels, notice.at, read.standing);
  }

  /** Records levels that changed without crossing up (back under a level, a rule removed). */
  async saveLevels(
    sellerId: string,
    levels: Readonly<Partial<Record<KpiName, QualityLevel>>>,
    at: string,
    standing: QualityStanding | undefined,
  ): Promise<QualityStanding> {
    const cancelled = await new TransactionPlan<'standing'>()
      .add('standing', this.standingPut(sellerId, levels, at, standing))
      .write(this.client);
    if (cancelled) throw concurrentModification();
    return this.written(sellerId, levels, at, standing);
  }

  /** The seller's latest notices, newest first: one Query. */
  async notices(sellerId: string, limit: number): Promise<QualityNotice[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': sellerQualityStandingKey(sellerId).PK,
          ':prefix': qualityNoticePrefix,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => sellerQualityNoticeEntity.decode(item));
  }

  private written(
    sellerId: string,
    levels: QualityStanding['levels'],
    evaluatedAt: string,
    read: QualityStanding | undefined,
  ): QualityStanding {
    return { sellerId, levels, evaluatedAt, version: (read?.version ?? 0) + 1 };
  }

  private standingPut(
    sellerId: string,
    levels: QualityStanding['levels'],
    at: string,
    read: QualityStanding | undefined,
  ): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: sellerQualityStandingEntity.item(
          sellerQualityStandingKey(sellerId),
          this.written(sellerId, levels, at, read),
        ),
        ...(read
          ? {
              ConditionExpression: 'version = :read',
              ExpressionAttributeValues: { ':read': read.version },
            }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    };
  }

  private actionWrites(
    { rule, notice }: QualityCrossing,
    { hold, suspension }: Pick<QualityInputs, 'hold' | 'suspension'>,
  ): TransactItem[] {
    const reason = `Quality rule: ${rule.kpi} at ${notice.value} over ${rule.windowDays} days (limit ${rule.limit})`;
    const sellerId = notice.sellerId;
    if (rule.action === 'hold-payouts') {
      if (hold) return [];
      return holdPlacement(
        this.tableName,
        { sellerId, reason, by: qualityRulesActor, since: notice.at },
        { ifNone: true },
      );
    }
    if (suspension) return [];
    return suspensionWrites(this.tableName, {
      userId: sellerId,
      reason,
      by: qualityRulesActor,
      since: notice.at,
      ...(hold ? {} : { payoutHoldSince: notice.at }),
    }).map(([, write]) => write);
  }
}

const optional = <K extends string, T>(key: K, value: T | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, T>>;
