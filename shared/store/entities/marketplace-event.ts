import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type MarketplaceEvent, marketplaceEventSchema } from '../../events/catalog.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** Positions are written with this many digits, so that sort keys order them as numbers. */
const positionDigits = 12;

export const positionKey = (position: number) => String(position).padStart(positionDigits, '0');

/** `evt_<position>`, as every channel names the event. */
export const eventIdOf = (position: string) => `evt_${position}`;

/** An event in the admins' feed, at its position: the log every channel reads. */
export const marketplaceEventEntity = defineEntity<MarketplaceEvent>({
  name: entities.marketplaceEvent,
  version: 1,
  schema: marketplaceEventSchema,
  keys: [{ PK: 'EVENTLOG', SK: '<position, 12 digits>' }],
});

export const eventLogKey = (position: number) => ({ PK: 'EVENTLOG', SK: positionKey(position) });

/** A copy of an event in the feed of a seller or provider it concerns, at the same position. */
export const userFeedEventEntity = defineEntity<MarketplaceEvent>({
  name: entities.userFeedEvent,
  version: 1,
  schema: marketplaceEventSchema,
  keys: [{ PK: 'EVENTLOG#USER#<userId>', SK: '<position, 12 digits>' }],
});

export const userFeedKey = (userId: string, position?: number) => ({
  PK: `EVENTLOG#USER#${userId}`,
  ...(position === undefined ? {} : { SK: positionKey(position) }),
});

/** A feed of the log: the admins' one, with every event, or a seller's or provider's own. */
export type EventFeed = { readonly kind: 'marketplace' } | { readonly kind: 'user'; readonly userId: string };

export const marketplaceFeed: EventFeed = { kind: 'marketplace' };

export const userFeed = (userId: string): EventFeed => ({ kind: 'user', userId });

export const feedPartition = (feed: EventFeed) =>
  feed.kind === 'marketplace' ? eventLogKey(0).PK : userFeedKey(feed.userId).PK;

export const feedEntity = (feed: EventFeed) =>
  feed.kind === 'marketplace' ? marketplaceEventEntity : userFeedEventEntity;

/**
 * The items of an event at its position: the admins' feed's, which also names the users whose feeds
 * have a copy (so that the archive, fed from the admins' feed, copies it to theirs), and the copies.
 * They all expire together (`expiresAt`, the table's TTL): see docs/design/event-log.md, Retention.
 */
export function eventItems(
  event: MarketplaceEvent,
  audience: readonly string[],
  expiresAt: number,
): Record<string, unknown>[] {
  const position = Number(event.position);
  const users = [...new Set(audience)];
  return [
    { ...marketplaceEventEntity.item(eventLogKey(position), event), audience: users, expiresAt },
    ...users.map((userId) => ({
      ...userFeedEventEntity.item(userFeedKey(userId, position), event),
      expiresAt,
    })),
  ];
}

const audienceSchema = deferred(() => z.array(z.string()));

/** The users an item of the admins' feed was copied to; none for events appended before it said. */
export const audienceOf = (item: Record<string, unknown>): string[] =>
  item.audience === undefined ? [] : audienceSchema.parse(item.audience);

const counterSchema = deferred(() =>
  z.object({ last: z.number().int(), eventsExpireAt: z.number().int().optional() }),
);

export interface EventLogCounter {
  readonly last: number;
  /** When the last events appended expire (epoch seconds): no later append's expire sooner. */
  readonly eventsExpireAt?: number | undefined;
}

/** The last position given: every append moves it on, conditioned on the value it read. */
export const eventLogCounterEntity = defineEntity<EventLogCounter>({
  name: entities.eventLogCounter,
  version: 1,
  schema: counterSchema,
  keys: [{ PK: 'EVENTLOG#COUNTER', SK: 'COUNTER' }],
});

export const eventLogCounterKey = { PK: 'EVENTLOG#COUNTER', SK: 'COUNTER' } as const;

const sourceSchema = deferred(() => z.object({ expiresAt: z.number().int() }));

/**
 * A stream record whose events are in the log: put with them, so that the record delivered again
 * adds nothing. Kept two days, past the stream's 24-hour retention.
 */
export const eventSourceEntity = defineEntity<{ expiresAt: number }>({
  name: entities.eventSource,
  version: 1,
  schema: sourceSchema,
  keys: [{ PK: 'EVENTSOURCE#<stream record id>', SK: 'EVENTSOURCE' }],
});

export const eventSourceKey = (recordId: string) => ({ PK: `EVENTSOURCE#${recordId}`, SK: 'EVENTSOURCE' });

export const eventSourceRetentionSeconds = 2 * 24 * 60 * 60;
