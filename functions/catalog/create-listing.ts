import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { catalogRoutes } from '../routes/catalog.ts';

export const handler = httpHandler(catalogRoutes.createListing, async ({ body, caller }) => {
  const listing = await listingStore.create(caller.userId, body);
  return {
    status: 201,
    body: listing,
    headers: { etag: versionTag(listing.version), location: `/listings/${listing.id}` },
  };
});
