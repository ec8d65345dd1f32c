import { disputeStore } from '#shared/app/composition/stores/dispute-store.ts';
import { toDisputeQueueEntry } from '#shared/app/orders/disputes.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { disputeRoutes } from '../routes/disputes.ts';

export const handler = httpHandler(disputeRoutes.listDisputes, async ({ query }) => {
  const page = await disputeStore.queue(query.status, query.limit, query.cursor);
  return { status: 200, body: { ...page, items: page.items.map(toDisputeQueueEntry) } };
});
