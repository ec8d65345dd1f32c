import { httpHandler } from '#shared/http/handler.ts';
import { catalogRoutes } from '../routes/catalog.ts';
import { listingStore } from '../stores/listing-store.ts';

export const handler = httpHandler(catalogRoutes.listMyListings, async ({ query, caller }) => ({
  status: 200,
  body: await listingStore.listBySeller(caller.userId, query.limit, query.cursor),
}));
