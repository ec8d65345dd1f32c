import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { isPubliclyVisible, type Listing, listingNotFound } from '#shared/domain/listing.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { catalogRoutes } from '../routes/catalog.ts';

/** The listing as anyone sees it: who provides what, but their shares stay between them and the seller. */
const publicView = ({
  providers,
  sellerSuspended: _,
  removal: __,
  moderation: ___,
  ...listing
}: Listing) => ({
  ...listing,
  providers: providers.map(({ party, userId }) => ({ party, sellerId: userId })),
});

export const handler = httpHandler(catalogRoutes.getListing, async ({ params }) => {
  const listing = await listingStore.get(params.listingId);
  // Drafts and unpublished listings are indistinguishable from missing ones to the public.
  if (!listing || !isPubliclyVisible(listing)) throw listingNotFound(params.listingId);
  return { status: 200, body: publicView(listing), headers: { etag: versionTag(listing.version) } };
});
