import { sellerStore } from '#shared/app/composition/stores/seller-store.ts';
import { ifMatchVersion, versionTag } from '#shared/http/etag.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';

export const handler = httpHandler(sellerRoutes.saveMyProfile, async ({ headers, body, caller }) => {
  const expectedVersion = ifMatchVersion(headers['if-match']);
  const profile =
    expectedVersion === undefined
      ? await sellerStore.create(caller.userId, body)
      : await sellerStore.update(caller.userId, expectedVersion, body);
  return {
    status: expectedVersion === undefined ? 201 : 200,
    body: profile,
    headers: { etag: versionTag(profile.version) },
  };
});
