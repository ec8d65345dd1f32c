import { sellerStore } from '#shared/app/composition/stores.ts';
import { sellerProfileNotFound } from '#shared/domain/seller.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.getMyProfile, async ({ caller }) => {
  const profile = await sellerStore.get(caller.userId);
  if (!profile) throw sellerProfileNotFound();
  return { status: 200, body: profile, headers: { etag: versionTag(profile.version) } };
});
