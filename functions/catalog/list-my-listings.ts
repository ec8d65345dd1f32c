import { listingStore } from '#shared/app/composition/stores.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.listMyListings, async ({ query, caller }) => ({
  status: 200,
  body: await listingStore.listBySeller(caller.userId, query.limit, query.cursor),
}));
