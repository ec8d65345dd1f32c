import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import type { ListingTransition } from '#shared/domain/listing.ts';
import { ifMatchVersion, versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import type { catalogRoutes } from '../routes/catalog.ts';

/** The entry point of a publish or unpublish route: the owner moves the listing, If-Match optional. */
export function transitionHandler(
  route: typeof catalogRoutes.publishListing | typeof catalogRoutes.unpublishListing,
  transition: ListingTransition,
) {
  return httpHandler(route, async ({ params, headers, caller }) => {
    const listing = await listingStore.transition(
      params.listingId,
      caller.userId,
      transition,
      ifMatchVersion(headers['if-match']),
    );
    return { status: 200, body: listing, headers: { etag: versionTag(listing.version) } };
  });
}
