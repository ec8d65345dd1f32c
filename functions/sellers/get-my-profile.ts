import { sellerStore } from '#shared/app/composition/stores/seller-store.ts';
import { sellerProfileNotFound } from '#shared/domain/seller.ts';
import { versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';

export const handler = httpHandler(sellerRoutes.getMyProfile, async ({ caller }) => {
  const profile = await sellerStore.get(caller.userId);
  if (!profile) throw sellerProfileNotFound();
  return { status: 200, body: profile, headers: { etag: versionTag(profile.version) } };
});
