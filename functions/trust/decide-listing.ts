import { moderationStore } from '#shared/app/composition/stores/moderation-store.ts';
import { requireIfMatch, versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

/**
 * An admin approves or rejects a listing awaiting review, at the version they reviewed (If-Match):
 * a listing its seller changed since is refused, to be reviewed again. The decision is kept on it and audited.
 */
export const handler = httpHandler(trustRoutes.decideListing, async ({ params, headers, body, caller }) => {
  const reviewedVersion = requireIfMatch(headers['if-match']);
  const listing = await moderationStore.decide(params.listingId, reviewedVersion, {
    verdict: body.verdict,
    by: caller.userId,
    at: new Date().toISOString(),
    ...(body.reason ? { reason: body.reason } : {}),
  });
  return { status: 200, body: listing, headers: { etag: versionTag(listing.version) } };
});
