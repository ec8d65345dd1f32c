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
    // One Query; a read filtered by type reads the log's counter first (GetItem).
    uses: { table: ['Query', 'GetItem'] },
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
    uses: { table: ['Query', 'GetItem'] },
    access: ['seller'],
    query: feedQuery,
    responses: { 200: { description: 'Your events after the position', body: feedPage } },
  }),
};
