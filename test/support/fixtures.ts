import type { ListingContent } from '#shared/domain/listing.ts';
import type { SellerProfileContent } from '#shared/domain/seller.ts';

export const lampContent: ListingContent = {
  title: 'Brass desk lamp',
  description: 'Hand-polished brass, warm light.',
  category: 'home/lamps',
  price: { amount: 4999, currency: 'EUR' },
  stock: 3,
  attributes: { color: 'brass', material: 'metal' },
  images: ['https://images.example.com/lamp.jpg'],
  process: 'default-purchase',
  providers: [],
};

export const aliceProfile: SellerProfileContent = {
  displayName: 'Alice Atelier',
  country: 'FR',
  defaultCurrency: 'EUR',
};
