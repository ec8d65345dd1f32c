import { EventFeeds } from '#shared/app/events/event-feeds.ts';
import { eventArchive } from './event-archive.ts';
import { eventLogStore } from './stores/event-log-store.ts';

/** The feeds of the event log as the routes read them: the table, then the archive. */
export const eventFeeds = new EventFeeds(eventLogStore, eventArchive);
