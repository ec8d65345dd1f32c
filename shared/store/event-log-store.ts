import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventDraft, EventType, MarketplaceEvent } from '../events/catalog.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  eventIdOf,
  eventLogCounterEntity,
  eventLogCounterKey,
  eventLogKey,
  eventSourceEntity,
  eventSourceKey,
  eventSourceRetentionSeconds,
  marketplaceEventEntity,
  positionKey,
  userFeedEventEntity,
  userFeedKey,
} from './entities/marketplace-event.ts';
import { maxTransactionItems, TransactionPlan } from './transaction.ts';

/** The events one stream record gave: written together, once, whatever the stream redelivers. */
export interface RecordedChange {
  /** The stream record's id. */
  readonly sourceId: string;
  readonly events: readonly EventDraft[];
}

export interface FeedRead {
  /** Read events after this position; 0 reads from the start. */
  readonly after: number;
  readonly limit: number;
  /** Only these types, when given. */
  readonly types?: readonly EventType[] | undefined;
}

export interface FeedPage {
  readonly events: readonly MarketplaceEvent[];
  /** Where the next read goes on from: the last position this read looked at, listed or not. */
  readonly position: string;
}

/** Appends competing for the counter give up after this many tries; the stream retries the batch. */
const maxAppendAttempts = 25;

/** A change's items in a transaction: its source, and each event with its copies. */
const itemsOf = (change: RecordedChange) =>
  1 + change.events.reduce((sum, event) => sum + 1 + event.audience.length, 0);

/**
 * The append-only event log: the admins' feed `EVENTLOG`, and each seller's or provider's own
 * copy, both in positions given by one counter. An append puts its events at the positions after
 * the counter and moves the counter on in the same transaction, conditioned on the value it read,
 * so positions have no gaps and a reader never sees a later position before an earlier one. See
 * docs/design/event-log.md.
 */
export class EventLogStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Appends the changes' events in their order, skipping every change appended already. */
  async append(changes: readonly RecordedChange[], now = new Date()): Promise<void> {
    const bySource = new Map(changes.map((change) => [change.sourceId, change]));
    let pending = [...bySource.values()].filter((change) => change.events.length > 0);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAppendAttempts) throw new Error('The event log stayed contended; retry the batch.');
      const chunk = this.chunkOf(pending);
      const last = await this.lastPosition();
      const plan = this.appendPlan(chunk, last, now);
      const cancelled = await plan.write(this.client);
      if (!cancelled) {
        pending = pending.slice(chunk.length);
        attempt = 0;
        continue;
      }
      const appendedAlready = new Set(cancelled.failedAt('source').map(({ position }) => chunk[position]));
      if (appendedAlready.size > 0) {
        pending = pending.filter((change) => !appendedAlready.has(change));
      } else if (!cancelled.has('counter') && !cancelled.conflict) {
        throw cancelled.unexplained();
      }
    }
  }

  /** The leading changes that fit in one transaction. */
  private chunkOf(pending: readonly RecordedChange[]): readonly RecordedChange[] {
    let size = 1;
    const chunk: RecordedChange[] = [];
    for (const change of pending) {
      size += itemsOf(change);
      if (size > maxTransactionItems) break;
      chunk.push(change);
    }
    if (chunk.length === 0) throw new Error(`A stream record gave more events than one transaction holds`);
    return chunk;
  }

  /** The last position given, 0 before the first event. */
  async lastPosition(): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: eventLogCounterKey, ConsistentRead: true }),
    );
    return decodeIfPresent(eventLogCounterEntity, Item)?.last ?? 0;
  }

  private appendPlan(chunk: readonly RecordedChange[], last: number, now: Date) {
    const plan = new TransactionPlan<'counter' | 'source' | 'event'>();
    const expiresAt = Math.floor(now.getTime() / 1000) + eventSourceRetentionSeconds;
    let position = last;
    for (const change of chunk) {
      plan.add('source', {
        Put: {
          TableName: this.tableName,
          Item: eventSourceEntity.item(eventSourceKey(change.sourceId), { expiresAt }),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      for (const { audience, ...draft } of change.events) {
        position += 1;
        const event = { ...draft, id: eventIdOf(positionKey(position)), position: positionKey(position) };
        const put = (Item: Record<string, unknown>) => ({ Put: { TableName: this.tableName, Item } });
        plan.add('event', put(marketplaceEventEntity.item(eventLogKey(position), event)));
        for (const userId of new Set(audience)) {
          plan.add('event', put(userFeedEventEntity.item(userFeedKey(userId, position), event)));
        }
      }
    }
    return plan.add('counter', {
      Update: {
        TableName: this.tableName,
        Key: eventLogCounterKey,
        UpdateExpression: 'SET #last = :next, entity = :entity, schemaVersion = :version',
        ConditionExpression: last === 0 ? 'attribute_not_exists(PK)' : '#last = :last',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: {
          ':next': position,
          ':entity': eventLogCounterEntity.stamp.entity,
          ':version': eventLogCounterEntity.stamp.schemaVersion,
          ...(last === 0 ? {} : { ':last': last }),
        },
      },
    });
  }

  /** The event at a position, if the log has it. */
  async at(position: string): Promise<MarketplaceEvent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: eventLogKey(Number(position)), ConsistentRead: true }),
    );
    return decodeIfPresent(marketplaceEventEntity, Item);
  }

  /** The admins' feed: every event after a position. One Query. */
  read(request: FeedRead): Promise<FeedPage> {
    return this.readPartition(eventLogKey(0).PK, request);
  }

  /** The events that concern one seller or provider, after a position. One Query. */
  readFor(userId: string, request: FeedRead): Promise<FeedPage> {
    return this.readPartition(userFeedKey(userId).PK, request);
  }

  private async readPartition(partition: string, { after, limit, types }: FeedRead): Promise<FeedPage> {
    const filtered = types !== undefined && types.length > 0;
    // Every position up to the counter is written: a filtered read that reaches the end of the feed
    // has looked at them all, the ones it left out included.
    const written = filtered ? await this.lastPosition() : 0;
    const typeValues = Object.fromEntries((types ?? []).map((type, index) => [`:type${index}`, type]));
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK > :after',
        ...(filtered
          ? {
              FilterExpression: `#type IN (${Object.keys(typeValues).join(', ')})`,
              ExpressionAttributeNames: { '#type': 'type' },
            }
          : {}),
        ExpressionAttributeValues: { ':pk': partition, ':after': positionKey(after), ...typeValues },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const entity = partition === eventLogKey(0).PK ? marketplaceEventEntity : userFeedEventEntity;
    const events = Items.map((item) => entity.decode(item));
    const lastListed = Number(events.at(-1)?.position ?? after);
    const lookedAt = LastEvaluatedKey ? Number(LastEvaluatedKey.SK) : Math.max(lastListed, written);
    return { events, position: positionKey(Math.max(lookedAt, after)) };
  }
}
