import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  addDays,
  type MemberRole,
  type MetricCounts,
  type MetricGranularity,
  memberCountOf,
  periodEnd,
  periodStart,
  periodsOfDay,
} from '../domain/marketplace-metrics.ts';
import { batchGetAll } from './batch-get.ts';
import {
  metricsPartition,
  metricsSourceEntity,
  metricsSourceKey,
  metricsSourceRetentionSeconds,
  periodCountsEntity,
  periodCountsKey,
  periodMemberEntity,
  periodMemberKey,
} from './entities/marketplace-metrics.ts';
import { maxTransactionItems, TransactionPlan } from './transaction.ts';

/** What one stream record adds to one currency's counts on one UTC day. */
export interface MetricsContribution {
  /** The stream record's id: the contribution is added once, whatever the stream redelivers. */
  readonly sourceId: string;
  readonly currency: string;
  /** `YYYY-MM-DD`: the UTC day of the record's business time. */
  readonly day: string;
  /** The counts it adds, distinct counts aside. */
  readonly counts: Partial<Omit<MetricCounts, 'activeBuyers' | 'activeSellers'>>;
  /** The buyers and sellers it makes active: each counted once per period. */
  readonly members: readonly { readonly role: MemberRole; readonly userId: string }[];
}

/** Adds competing for a member or an aggregate give up after this many tries; the stream retries the batch. */
const maxAddAttempts = 10;

/** A period's member marker outlives the last record that can count in it: records are at most a day late. */
const memberRetentionDays = 3;

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

interface Period {
  readonly currency: string;
  readonly granularity: MetricGranularity;
  readonly start: string;
}

interface Member extends Period {
  readonly role: MemberRole;
  readonly userId: string;
}

const periodId = ({ currency, granularity, start }: Period) => `${currency}#${granularity}#${start}`;
const memberId = (member: Member) => `${periodId(member)}#${member.role}#${member.userId}`;

const memberKey = ({ currency, granularity, start, role, userId }: Member) =>
  periodMemberKey(currency, granularity, start, role, userId);

const periodsOf = ({ currency, day }: MetricsContribution): Period[] =>
  periodsOfDay(day).map((period) => ({ currency, ...period }));

const membersOf = (contribution: MetricsContribution): Member[] =>
  periodsOf(contribution).flatMap((period) =>
    contribution.members.map(({ role, userId }) => ({ ...period, role, userId })),
  );

/**
 * The marketplace's metrics per currency: one item per day, week and month with its counts, added to
 * by the stream's records (see docs/design/operator-metrics.md). A record's counts go to its day's,
 * week's and month's items in one transaction with a marker of the record, so a redelivered record
 * adds nothing; distinct buyers and sellers count once per period by a marker per member and period.
 */
export class MarketplaceMetricsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds the contributions of a batch, in transactions of as many as fit, each record once. Members
   * are read first (one BatchGetItem); those not yet counted in a period are put and counted with
   * the counts, on condition they still are not. A transaction cancelled because another added a
   * member or held an item is read again and retried.
   */
  async add(contributions: readonly MetricsContribution[], now = new Date()): Promise<void> {
    let pending = [...new Map(contributions.map((each) => [each.sourceId, each])).values()];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAddAttempts) throw new Error('The metrics stayed contended; retry the batch.');
      const chunk = chunkOf(pending);
      const counted = await this.countedMembers(chunk);
      const plan = this.addPlan(chunk, counted, now);
      const cancelled = await plan.write(this.client);
      if (!cancelled) {
        pending = pending.slice(chunk.length);
        attempt = 0;
        continue;
      }
      const addedAlready = new Set(cancelled.failedAt('source').map(({ position }) => chunk[position]));
      if (addedAlready.size > 0) {
        pending = pending.filter((contribution) => !addedAlready.has(contribution));
      } else if (!cancelled.has('member') && !cancelled.conflict) {
        throw cancelled.unexplained();
      }
    }
  }

  /** The members of the chunk already counted in their periods. */
  private async countedMembers(chunk: readonly MetricsContribution[]): Promise<Set<string>> {
    const byKey = new Map<string, { key: Record<string, string>; id: string }>();
    for (const member of chunk.flatMap(membersOf)) {
      const key = memberKey(member);
      byKey.set(`${key.PK}|${key.SK}`, { key, id: memberId(member) });
    }
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...byKey.values()].map(({ key }) => key),
    );
    return new Set(items.flatMap((item) => byKey.get(`${String(item.PK)}|${String(item.SK)}`)?.id ?? []));
  }

  private addPlan(chunk: readonly MetricsContribution[], counted: Set<string>, now: Date) {
    const plan = new TransactionPlan<'source' | 'member' | 'period'>();
    const sums = new Map<string, { period: Period; counts: Record<string, number> }>();
    const addTo = (period: Period, name: keyof MetricCounts, amount: number) => {
      const sum = sums.get(periodId(period)) ?? { period, counts: {} };
      sum.counts[name] = (sum.counts[name] ?? 0) + amount;
      sums.set(periodId(period), sum);
    };
    const expiresAt = epochSeconds(now) + metricsSourceRetentionSeconds;
    for (const contribution of chunk) {
      plan.add('source', {
        Put: {
          TableName: this.tableName,
          Item: metricsSourceEntity.item(metricsSourceKey(contribution.sourceId), { expiresAt }),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      for (const period of periodsOf(contribution)) {
        for (const [name, amount] of Object.entries(contribution.counts)) {
          addTo(period, name as keyof MetricCounts, amount);
        }
      }
      for (const member of membersOf(contribution)) {
        if (counted.has(memberId(member))) continue;
        counted.add(memberId(member));
        plan.add('member', this.memberPut(member));
        addTo(member, memberCountOf[member.role], 1);
      }
    }
    for (const { period, counts } of sums.values()) {
      if (Object.values(counts).some((amount) => amount !== 0))
        plan.add('period', this.periodAdd(period, counts));
    }
    return plan;
  }

  private memberPut(member: Member) {
    const { granularity, start, role, userId } = member;
    const lastDay = periodEnd(granularity, start);
    const expiresAt = Date.parse(`${addDays(lastDay, 1 + memberRetentionDays)}T00:00:00Z`) / 1000;
    return {
      Put: {
        TableName: this.tableName,
        Item: periodMemberEntity.item(memberKey(member), {
          role,
          userId,
          expiresAt,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  private periodAdd({ currency, granularity, start }: Period, counts: Record<string, number>) {
    const added = Object.entries(counts).filter(([, amount]) => amount !== 0);
    const names = Object.fromEntries(added.map(([name], index) => [`#c${index}`, name]));
    const values = Object.fromEntries(added.map(([, amount], index) => [`:c${index}`, amount]));
    return {
      Update: {
        TableName: this.tableName,
        Key: periodCountsKey(currency, granularity, start),
        UpdateExpression:
          'SET entity = :entity, schemaVersion = :version, currency = :currency, ' +
          `granularity = :granularity, #start = :start ADD ${added.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
        ExpressionAttributeNames: { '#start': 'start', ...names },
        ExpressionAttributeValues: {
          ':entity': periodCountsEntity.stamp.entity,
          ':version': periodCountsEntity.stamp.schemaVersion,
          ':currency': currency,
          ':granularity': granularity,
          ':start': start,
          ...values,
        },
      },
    };
  }

  /**
   * The counts of `currency` for every period of `granularity` from the one holding `from` to the one
   * holding `to`, by their first day; periods nothing was counted in are absent. One Query of one item
   * per period (a further page only past 1 MB, which no allowed range reaches).
   */
  async periods(
    currency: string,
    granularity: MetricGranularity,
    from: string,
    to: string,
  ): Promise<Map<string, MetricCounts>> {
    const counts = new Map<string, MetricCounts>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': metricsPartition(currency).PK,
            ':from': periodCountsKey(currency, granularity, periodStart(granularity, from)).SK,
            ':to': periodCountsKey(currency, granularity, periodStart(granularity, to)).SK,
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of Items) {
        const {
          currency: _currency,
          granularity: _granularity,
          start,
          ...periodCounts
        } = periodCountsEntity.decode(item);
        counts.set(start, periodCounts);
      }
      startKey = LastEvaluatedKey;
    } while (startKey);
    return counts;
  }
}

/** The leading contributions whose writes fit in one transaction, counting every member as new. */
function chunkOf(pending: readonly MetricsContribution[]): MetricsContribution[] {
  const keys = new Set<string>();
  const chunk: MetricsContribution[] = [];
  for (const contribution of pending) {
    const added = [
      `source#${contribution.sourceId}`,
      ...periodsOf(contribution).map(periodId),
      ...membersOf(contribution).map(memberId),
    ].filter((key) => !keys.has(key));
    if (keys.size + added.length > maxTransactionItems) break;
    for (const key of added) keys.add(key);
    chunk.push(contribution);
  }
  return chunk;
}
