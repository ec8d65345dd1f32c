import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { SellerProfile } from '../../domain/seller.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const sellerProfileSchema = deferred(() =>
  z.object({
    sellerId: z.string(),
    displayName: z.string(),
    country: z.string(),
    defaultCurrency: z.string(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
) satisfies z.ZodType<SellerProfile>;

export const sellerProfileEntity = defineEntity<SellerProfile>({
  name: entities.sellerProfile,
  version: 1,
  schema: sellerProfileSchema,
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'PROFILE' }],
});

export const sellerProfileKey = (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'PROFILE' });
