import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type Listing, listingStatuses } from '../../domain/listing.ts';
import { partiesAwaitingConsent, providerConsents } from '../../domain/provider-consent.ts';
import { ratingOf } from '../../domain/review.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { moneySchema } from './value-schemas.ts';

const listingSchema = deferred(() =>
  z
    .object({
      id: z.string(),
      sellerId: z.string(),
      status: z.enum(listingStatuses),
      version: z.number(),
      createdAt: z.string(),
      updatedAt: z.string(),
      publishedAt: z.string().optional(),
      sellerSuspended: z.boolean().optional(),
      removal: z
        .object({ by: z.string(), at: z.string(), reportId: z.string(), note: z.string() })
        .optional(),
      moderation: z
        .object({
          verdict: z.enum(['approve', 'reject']),
          by: z.string(),
          at: z.string(),
          reason: z.string().optional(),
        })
        .optional(),
      title: z.string(),
      description: z.string(),
      category: z.string(),
      price: moneySchema,
      stock: z.number(),
      maxPerOrder: z.number().optional(),
      attributes: z.record(z.string(), z.string()),
      images: z.array(z.string()),
      process: z.string(),
      providers: z.array(
        z.object({
          party: z.string(),
          userId: z.string(),
          shareBps: z.number(),
          consent: z.enum(providerConsents),
        }),
      ),
      // The sums published reviews add to, in place (see review-publication.ts); read as the rating.
      ratingCount: z.number().optional(),
      ratingSum: z.number().optional(),
    })
    .transform(({ ratingCount, ratingSum, ...listing }) => {
      const rating = ratingOf({ ratingCount, ratingSum });
      return rating ? { ...listing, rating } : listing;
    }),
) satisfies z.ZodType<Listing>;

export const listingEntity = defineEntity<Listing>({
  name: entities.listing,
  version: 2,
  schema: listingSchema,
  upgrades: {
    // Version 1 asked no provider's consent: its listings were published with the providers they name.
    1: (attributes) => ({
      ...attributes,
      providers: (attributes.providers as object[]).map((provider) => ({ ...provider, consent: 'accepted' })),
    }),
  },
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

/**
 * The set of parties whose provider has not accepted, as the item keeps it beside its providers:
 * publishing requires it absent. DynamoDB stores no empty set: none when nobody is awaited.
 */
export const awaitingConsentAttribute = (listing: Pick<Listing, 'providers'>) => {
  const parties = partiesAwaitingConsent(listing.providers);
  return parties.length > 0 ? { awaitingConsent: new Set(parties) } : {};
};

/** The item of a new listing, findable among its seller's. */
export const listingItem = (listing: Listing) => ({
  ...listingEntity.item({ ...listingKey(listing.id), ...listingIndexKeys(listing) }, listing),
  ...awaitingConsentAttribute(listing),
});
