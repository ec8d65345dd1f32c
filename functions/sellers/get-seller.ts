import { sellerStore } from '#shared/app/composition/stores/seller-store.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';

export const handler = httpHandler(sellerRoutes.getSeller, async ({ params }) => {
  const profile = await sellerStore.get(params.sellerId);
  if (!profile)
    throw new DomainError('not-found', 'seller_not_found', `Seller ${params.sellerId} does not exist.`);
  const { sellerId, displayName, country } = profile;
  return { status: 200, body: { sellerId, displayName, country } };
});
