import { eventLogStore } from '#shared/app/composition/stores/event-log-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { eventRoutes } from '../routes/events.ts';

export const handler = httpHandler(eventRoutes.listMyEvents, async ({ query, caller }) => ({
  status: 200,
  body: await eventLogStore.readFor(caller.userId, query),
}));
