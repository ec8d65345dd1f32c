import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { catalogRoutes } from '../routes/catalog.ts';

export const handler = httpHandler(catalogRoutes.listMyListings, async ({ query, caller }) => ({
  status: 200,
  body: await listingStore.listBySeller(caller.userId, query.limit, query.cursor),
}));
