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
import type { AppendedEvent, EventLogStore } from '../../store/event-log-store.ts';

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

/** Events archived again a page at a time. */
const pageSize = 100;

/**
 * Archives again, from the table, the events of the admins' feed after `after` up to `through`: for
 * a batch whose stream records are gone (after 24 hours) but whose events the table still keeps.
 * Objects already there are written again or overlap: reads remove the duplicates.
 */
export async function archiveFromTable(
  log: EventLogStore,
  archive: EventArchive,
  { after, through }: { readonly after: number; readonly through: number },
): Promise<number> {
  let archived = 0;
  for (let position = after; position < through; ) {
    const page = (await log.appendedAfter(position, pageSize)).filter(
      ({ event }) => Number(event.position) <= through,
    );
    const last = page.at(-1);
    if (!last) break;
    await archiveAppended(archive, page);
    archived += page.length;
    position = Number(last.event.position);
  }
  return archived;
}
