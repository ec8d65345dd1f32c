import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { requireIfMatch, versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { catalogRoutes } from '../routes/catalog.ts';

export const handler = httpHandler(catalogRoutes.updateListing, async ({ params, headers, body, caller }) => {
  const expectedVersion = requireIfMatch(headers['if-match']);
  const listing = await listingStore.update(params.listingId, caller.userId, expectedVersion, body);
  return { status: 200, body: listing, headers: { etag: versionTag(listing.version) } };
});
