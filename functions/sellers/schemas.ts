import { z } from 'zod';
import { currencySchema } from '../catalog/schemas.ts';

export const sellerIdSchema = z.string().regex(/^[\w-]{1,128}$/, 'is not a user id');

export const sellerProfileBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(100),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. FR'),
    defaultCurrency: currencySchema,
  })
  .meta({ id: 'SellerProfileInput' });

export const sellerProfileView = z
  .object({
    sellerId: z.string(),
    displayName: z.string(),
    country: z.string(),
    defaultCurrency: z.string(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SellerProfile' });

export const publicSellerView = sellerProfileView
  .pick({ sellerId: true, displayName: true, country: true })
  .meta({ id: 'PublicSellerProfile' });
