import { eventFeeds } from '#shared/app/composition/event-feeds.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { marketplaceFeed } from '#shared/store/entities/marketplace-event.ts';
import { eventRoutes } from '../routes/events.ts';

export const handler = httpHandler(eventRoutes.listEvents, async ({ query }) => ({
  status: 200,
  body: await eventFeeds.read(marketplaceFeed, query),
}));
