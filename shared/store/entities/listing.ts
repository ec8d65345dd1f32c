import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type Listing, listingStatuses } from '../../domain/listing.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { moneySchema } from './value-schemas.ts';

const listingSchema = deferred(() =>
  z.object({
    id: z.string(),
    sellerId: z.string(),
    status: z.enum(listingStatuses),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().optional(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    price: moneySchema,
    stock: z.number(),
    maxPerOrder: z.number().optional(),
    attributes: z.record(z.string(), z.string()),
    images: z.array(z.string()),
    process: z.string(),
    providers: z.array(z.object({ party: z.string(), userId: z.string(), shareBps: z.number() })),
  }),
) satisfies z.ZodType<Listing>;

export const listingEntity = defineEntity<Listing>({
  name: entities.listing,
  version: 1,
  schema: listingSchema,
  keys: [
    {
      PK: 'LISTING#<listingId>',
      SK: 'LISTING',
      GSI1PK: 'SELLER#<sellerId>',
      GSI1SK: 'LISTING#<createdAt>#<listingId>',
    },
  ],
});

export const listingKey = (listingId: string) => ({ PK: `LISTING#${listingId}`, SK: 'LISTING' });

/** The seller's listings in GSI1, newest first by `listingIndexKeys`. */
export const sellerListingsPartition = (sellerId: string) => ({ GSI1PK: `SELLER#${sellerId}` });

export const listingIndexKeys = (listing: Pick<Listing, 'sellerId' | 'createdAt' | 'id'>) => ({
  ...sellerListingsPartition(listing.sellerId),
  GSI1SK: `LISTING#${listing.createdAt}#${listing.id}`,
});

/** The item of a new listing, findable among its seller's. */
export const listingItem = (listing: Listing) =>
  listingEntity.item({ ...listingKey(listing.id), ...listingIndexKeys(listing) }, listing);
