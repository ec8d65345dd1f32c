import type { EventArchive } from '../../events/archive.ts';
import type { MarketplaceEvent } from '../../events/catalog.ts';
import { type EventFeed, positionKey } from '../../store/entities/marketplace-event.ts';
import type { EventLogStore, FeedPage, FeedRead, TableFeedPage } from '../../store/event-log-store.ts';

/**
 * Reading a feed of the event log: from the table while it keeps the events asked for, and from the
 * table and the archive together once some have expired, with the same answer. See
 * docs/design/event-log.md, Retention.
 */
export class EventFeeds {
  constructor(
    private readonly log: EventLogStore,
    private readonly archive: EventArchive,
  ) {}

  async read(feed: EventFeed, request: FeedRead): Promise<FeedPage> {
    const table = await this.log.readTable(feed, request);
    if (table.retained) return { events: table.events, position: table.position };
    const archived = await this.archive.readAfter(feed, request.after, request.limit);
    return merged(request, table, archived.events, archived.completeThrough);
  }
}

/**
 * The events the table still has and those the archive has, each once, in order: every event of
 * the feed up to where both are complete is in one or the other. At most `limit` are looked at.
 */
function merged(
  { after, limit, types }: FeedRead,
  table: TableFeedPage,
  archived: readonly MarketplaceEvent[],
  archiveCompleteThrough: number,
): FeedPage {
  const byPosition = new Map<number, MarketplaceEvent>();
  for (const event of [...archived, ...table.events]) byPosition.set(Number(event.position), event);
  const complete = Math.min(Number(table.position), archiveCompleteThrough);
  const positions = [...byPosition.keys()].filter((position) => position <= complete).sort((a, b) => a - b);
  const lookedAt = positions.slice(0, limit);
  const through = positions.length > limit ? Number(lookedAt.at(-1)) : complete;
  const wanted = types && types.length > 0 ? new Set<string>(types) : undefined;
  const events = lookedAt.flatMap((position) => {
    const event = byPosition.get(position);
    return event && (!wanted || wanted.has(event.type)) ? [event] : [];
  });
  return { events, position: positionKey(Math.max(through, after)) };
}
