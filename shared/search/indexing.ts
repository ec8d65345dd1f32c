import type { Listing } from '../domain/listing.ts';
import { isPubliclyVisible } from '../domain/listing.ts';
import type { ListingDocument, SearchIndex } from './port.ts';

export function toListingDocument(listing: Listing): ListingDocument {
  return {
    id: listing.id,
    sellerId: listing.sellerId,
    title: listing.title,
    description: listing.description,
    category: listing.category,
    price: listing.price.amount,
    currency: listing.price.currency,
    stock: listing.stock,
    attributes: listing.attributes,
    publishedAt: listing.publishedAt ?? listing.createdAt,
    version: listing.version,
    ...(listing.rating ? { rating: listing.rating.average } : {}),
  };
}

export type IndexChange =
  | { readonly kind: 'upsert'; readonly document: ListingDocument }
  | { readonly kind: 'remove'; readonly listingId: string; readonly version: number };

/**
 * What the index must do after a listing changed from `before` to `after` (either absent for an
 * insert or a delete): hold it while it is published, forget it otherwise.
 */
export function indexChangeFor(
  before: Listing | undefined,
  after: Listing | undefined,
): IndexChange | undefined {
  if (after) {
    return isPubliclyVisible(after)
      ? { kind: 'upsert', document: toListingDocument(after) }
      : { kind: 'remove', listingId: after.id, version: after.version };
  }
  // A table delete writes no new version: its record carries the old image's, which the index may
  // already hold, and OpenSearch applies an external-versioned write (the tombstone) only above the
  // version it holds.
  // The version after the last one written outranks every write of the deleted listing.
  return before ? { kind: 'remove', listingId: before.id, version: before.version + 1 } : undefined;
}

export function applyIndexChange(index: SearchIndex, change: IndexChange): Promise<void> {
  return change.kind === 'upsert'
    ? index.upsert(change.document)
    : index.remove(change.listingId, change.version);
}
