import { eventFeeds } from '#shared/app/composition/event-feeds.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { userFeed } from '#shared/store/entities/marketplace-event.ts';
import { eventRoutes } from '../routes/events.ts';

export const handler = httpHandler(eventRoutes.listMyEvents, async ({ query, caller }) => ({
  status: 200,
  body: await eventFeeds.read(userFeed(caller.userId), query),
}));
