import type { EventArchive } from '../../events/archive.ts';
import type { MarketplaceEvent } from '../../events/catalog.ts';
import { logger } from '../../logger.ts';
import { type EventFeed, positionKey } from '../../store/entities/marketplace-event.ts';
import type { EventLogStore, FeedPage, FeedRead } from '../../store/event-log-store.ts';

/**
 * Reading a feed of the event log: from the table while it keeps the events asked for, and from the
 * table and the archive together once some have expired, with the same answer: the events either
 * has, each once, in order, as far as both are complete. See docs/design/event-log.md, Retention.
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
    const byPosition = new Map<number, MarketplaceEvent>();
    for (const event of [...archived.events, ...table.events]) byPosition.set(Number(event.position), event);
    let complete = Math.min(Number(table.position), archived.completeThrough);
    const positions = [...byPosition.keys()].filter((position) => position <= complete).sort((a, b) => a - b);
    const gap = positions.findIndex((position, index) => position !== request.after + 1 + index);
    const unbroken = request.after + (gap < 0 ? positions.length : gap);
    if (feed.kind === 'marketplace' && unbroken < complete) {
      // The admins' feed has every position: one neither the table nor the archive has is one the
      // archiver has not written yet, and the feed waits for it rather than skip it.
      complete = unbroken;
      logger.warn('an event of the log is neither in the table nor in the archive', {
        position: complete + 1,
      });
    }
    return page(
      request,
      byPosition,
      positions.filter((position) => position <= complete),
      complete,
    );
  }
}

/** At most `limit` of the positions looked at, those of the types asked for, and where to read on. */
function page(
  { after, limit, types }: FeedRead,
  byPosition: ReadonlyMap<number, MarketplaceEvent>,
  positions: readonly number[],
  complete: number,
): FeedPage {
  const lookedAt = positions.slice(0, limit);
  const through = positions.length > limit ? Number(lookedAt.at(-1)) : complete;
  const wanted = types && types.length > 0 ? new Set<string>(types) : undefined;
  const events = lookedAt.flatMap((position) => {
    const event = byPosition.get(position);
    return event && (!wanted || wanted.has(event.type)) ? [event] : [];
  });
  return { events, position: positionKey(Math.max(through, after)) };
}
