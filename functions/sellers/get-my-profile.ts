import { DomainError } from '#shared/domain/errors.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { sellerStore } from '../stores.ts';

export const handler = httpHandler(routes.getMyProfile, async ({ caller }) => {
  const profile = await sellerStore.get(caller.userId);
  if (!profile) {
    throw new DomainError(
      'not-found',
      'seller_profile_not_found',
      'You have no seller profile yet: PUT /sellers/me.',
    );
  }
  return { status: 200, body: profile, headers: { etag: versionTag(profile.version) } };
});
