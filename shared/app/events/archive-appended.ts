import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventArchive } from '../../events/archive.ts';
import type { MarketplaceEvent } from '../../events/catalog.ts';
import {
  audienceOf,
  type EventFeed,
  marketplaceEventEntity,
  marketplaceFeed,
  userFeed,
} from '../../store/entities/marketplace-event.ts';

/** An event appended to the admins' feed, and the users whose feeds have a copy. */
export interface AppendedEvent {
  readonly event: MarketplaceEvent;
  readonly audience: readonly string[];
}

/** The event a stream record appended to the admins' feed, if it is one. */
export function appendedEvent(record: DynamoDBRecord): AppendedEvent | undefined {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image);
  if (item.entity !== marketplaceEventEntity.name) return undefined;
  return { event: marketplaceEventEntity.decode(item), audience: audienceOf(item) };
}

/** Archives a batch of appended events: one object for the admins' feed, one for each user's feed. */
export async function archiveAppended(
  archive: EventArchive,
  appended: readonly AppendedEvent[],
): Promise<number> {
  const feeds = new Map<string, { feed: EventFeed; events: MarketplaceEvent[] }>();
  const add = (name: string, feed: EventFeed, event: MarketplaceEvent) => {
    const entry = feeds.get(name) ?? { feed, events: [] };
    entry.events.push(event);
    feeds.set(name, entry);
  };
  for (const { event, audience } of appended) {
    add('marketplace', marketplaceFeed, event);
    for (const userId of audience) add(`user:${userId}`, userFeed(userId), event);
  }
  await Promise.all([...feeds.values()].map(({ feed, events }) => archive.put(feed, events)));
  return feeds.size;
}
