import { defineRoute } from '#shared/http/route.ts';
import { feedPage, feedQuery } from './schemas/events.ts';

/** The event log: every moment of the marketplace in one ordered feed, resumable by position. */
export const eventRoutes = {
  listEvents: defineRoute({
    method: 'GET',
    path: '/events',
    handler: 'events/list-events',
    summary: 'Every event of the marketplace after a position, in order',
    tags: ['events'],
    // The counter and the event after the position (BatchGetItem), then one Query; once events
    // after the position expired from the table, the archive too.
    uses: { table: ['BatchGetItem', 'Query'], eventArchive: 'read-log' },
    access: ['admin'],
    query: feedQuery,
    responses: { 200: { description: 'The events after the position', body: feedPage } },
  }),
  listMyEvents: defineRoute({
    method: 'GET',
    path: '/sellers/me/events',
    handler: 'events/list-my-events',
    summary: 'The events of your orders, listings, payouts and reviews of you, after a position',
    tags: ['events'],
    uses: { table: ['BatchGetItem', 'Query'], eventArchive: 'read-user-feeds' },
    access: ['seller'],
    query: feedQuery,
    responses: { 200: { description: 'Your events after the position', body: feedPage } },
  }),
};
