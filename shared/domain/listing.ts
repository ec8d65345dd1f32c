import { DomainError } from './errors.ts';
import type { Money } from './money.ts';

export const listingStatuses = ['draft', 'published', 'unpublished'] as const;
export type ListingStatus = (typeof listingStatuses)[number];

export type ListingTransition = 'publish' | 'unpublish';

/** The lifecycle of a listing: created as a draft, then published and unpublished at will. */
export const listingTransitions: Record<
  ListingTransition,
  { from: readonly ListingStatus[]; to: ListingStatus }
> = {
  publish: { from: ['draft', 'unpublished'], to: 'published' },
  unpublish: { from: ['published'], to: 'unpublished' },
};

/** Only published listings are visible to anyone but their seller. */
export function isPubliclyVisible(status: ListingStatus): boolean {
  return status === 'published';
}

export interface ListingContent {
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly price: Money;
  readonly stock: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly images: readonly string[];
}

export interface Listing extends ListingContent {
  readonly id: string;
  readonly sellerId: string;
  readonly status: ListingStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly publishedAt?: string;
}

export const listingNotFound = (listingId: string) =>
  new DomainError('not-found', 'listing_not_found', `Listing ${listingId} does not exist.`);
