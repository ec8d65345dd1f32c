import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventDraft, EventType, MarketplaceEvent } from '../events/catalog.ts';
import { batchGetAll } from './batch-get.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  audienceOf,
  type EventFeed,
  type EventLogCounter,
  eventIdOf,
  eventItems,
  eventLogCounterEntity,
  eventLogCounterKey,
  eventLogKey,
  eventSourceEntity,
  eventSourceKey,
  eventSourceRetentionSeconds,
  feedEntity,
  feedPartition,
  marketplaceEventEntity,
  marketplaceFeed,
  positionKey,
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

/** What the table holds of a feed after a position. */
export interface TableFeedPage extends FeedPage {
  /**
   * Whether the table still holds every event of the feed after the position asked for. When it
   * does not (they expired), `events` are those it still has, of every type, and every event up to
   * `position` is either among them or in the archive.
   */
  readonly retained: boolean;
}

/** An event of the admins' feed, and the users whose feeds have a copy: what the archive keeps. */
export interface AppendedEvent {
  readonly event: MarketplaceEvent;
  readonly audience: readonly string[];
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

  /**
   * Appends the changes' events in their order, skipping every change appended already. The events
   * expire from the table `retentionSeconds` after `now`, or when the last ones appended do if that
   * is later, so that expiry never decreases along the log.
   */
  async append(
    changes: readonly RecordedChange[],
    retentionSeconds: number,
    now = new Date(),
  ): Promise<void> {
    const bySource = new Map(changes.map((change) => [change.sourceId, change]));
    let pending = [...bySource.values()].filter((change) => change.events.length > 0);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAppendAttempts) throw new Error('The event log stayed contended; retry the batch.');
      const chunk = this.chunkOf(pending);
      const counter = await this.counter();
      const expiresAt = Math.max(epochSeconds(now) + retentionSeconds, counter?.eventsExpireAt ?? 0);
      const plan = this.appendPlan(chunk, counter?.last ?? 0, expiresAt, now);
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
    return (await this.counter())?.last ?? 0;
  }

  private async counter(): Promise<EventLogCounter | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: eventLogCounterKey, ConsistentRead: true }),
    );
    return decodeIfPresent(eventLogCounterEntity, Item);
  }

  private appendPlan(chunk: readonly RecordedChange[], last: number, eventsExpireAt: number, now: Date) {
    const plan = new TransactionPlan<'counter' | 'source' | 'event'>();
    const sourceExpiresAt = epochSeconds(now) + eventSourceRetentionSeconds;
    let position = last;
    for (const change of chunk) {
      plan.add('source', {
        Put: {
          TableName: this.tableName,
          Item: eventSourceEntity.item(eventSourceKey(change.sourceId), { expiresAt: sourceExpiresAt }),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      for (const { audience, ...draft } of change.events) {
        position += 1;
        const event = { ...draft, id: eventIdOf(positionKey(position)), position: positionKey(position) };
        for (const Item of eventItems(event, audience, eventsExpireAt)) {
          plan.add('event', { Put: { TableName: this.tableName, Item } });
        }
      }
    }
    return plan.add('counter', {
      Update: {
        TableName: this.tableName,
        Key: eventLogCounterKey,
        UpdateExpression:
          'SET #last = :next, eventsExpireAt = :expiresAt, entity = :entity, schemaVersion = :version',
        ConditionExpression: last === 0 ? 'attribute_not_exists(PK)' : '#last = :last',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: {
          ':next': position,
          ':expiresAt': eventsExpireAt,
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

  /** The admins' events the table has after a position, `limit` at most, with their audiences. One Query. */
  async appendedAfter(after: number, limit: number): Promise<AppendedEvent[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK > :after',
        ExpressionAttributeValues: { ':pk': feedPartition(marketplaceFeed), ':after': positionKey(after) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => ({ event: marketplaceEventEntity.decode(item), audience: audienceOf(item) }));
  }

  /**
   * What the table holds of a feed after a position: one BatchGetItem of the counter and of the
   * admins' event right after the position, to tell whether events after it expired, then one Query.
   */
  async readTable(
    feed: EventFeed,
    { after, limit, types }: FeedRead,
    now = new Date(),
  ): Promise<TableFeedPage> {
    // Read before the Query: every position up to the counter was committed when the Query began.
    const { written, retained } = await this.retentionAfter(after, now);
    // Merged with the archive, every position the table still has must show: the reader filters then.
    const filtered = retained && types !== undefined && types.length > 0;
    const typeValues = Object.fromEntries(
      (filtered ? types : []).map((type, index) => [`:type${index}`, type]),
    );
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
        ExpressionAttributeValues: {
          ':pk': feedPartition(feed),
          ':after': positionKey(after),
          ...typeValues,
        },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const entity = feedEntity(feed);
    const events = Items.map((item) => entity.decode(item));
    const lastListed = Number(events.at(-1)?.position ?? after);
    // At the end of the feed, every position up to the counter was looked at, the ones left out included.
    const lookedAt = LastEvaluatedKey ? Number(LastEvaluatedKey.SK) : Math.max(lastListed, written);
    return { events, position: positionKey(Math.max(lookedAt, after)), retained };
  }

  /**
   * The counter, and whether the table still holds every event after `after`: expiry never decreases
   * along the log and an event's copies expire with it, so if the event right after the position has
   * not expired, no later one has. Events appended before they had an expiry prove nothing: the ones
   * after them may have expired.
   */
  private async retentionAfter(after: number, now: Date) {
    const next = eventLogKey(after + 1);
    const items = await batchGetAll(this.client, this.tableName, [eventLogCounterKey, next]);
    const counter = decodeIfPresent(
      eventLogCounterEntity,
      items.find((item) => item.PK === eventLogCounterKey.PK),
    );
    const written = counter?.last ?? 0;
    const nextItem = items.find((item) => item.PK === next.PK);
    const retained = nextItem
      ? typeof nextItem.expiresAt === 'number' && nextItem.expiresAt > epochSeconds(now)
      : written <= after;
    return { written, retained };
  }
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
