import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { listingStore } from '../stores.ts';

export const handler = httpHandler(routes.unpublishListing, async ({ params, headers, caller }) => {
  const listing = await listingStore.transition(
    params.listingId,
    caller.userId,
    'unpublish',
    headers['if-match'],
  );
  return { status: 200, body: listing, headers: { etag: versionTag(listing.version) } };
});
