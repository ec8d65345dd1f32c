import { listingStore } from '#shared/app/composition/stores.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.createListing, async ({ body, caller }) => {
  const listing = await listingStore.create(caller.userId, body);
  return {
    status: 201,
    body: listing,
    headers: { etag: versionTag(listing.version), location: `/listings/${listing.id}` },
  };
});
