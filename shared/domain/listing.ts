import type { ProviderShare } from './commission.ts';
import { DomainError } from './errors.ts';
import type { ModerationDecision } from './moderation.ts';
import type { Money } from './money.ts';
import type { ProcessDefinition } from './order-process.ts';
import type { ListedProvider } from './provider-consent.ts';
import type { Rating } from './review.ts';

export const listingStatuses = ['draft', 'pending-review', 'published', 'unpublished'] as const;
export type ListingStatus = (typeof listingStatuses)[number];

export type ListingTransition = 'publish' | 'unpublish';

/**
 * The lifecycle of a listing: created as a draft, then published and unpublished at will. Where the
 * moderation policy says so, publishing sends it to `pending-review`, and an admin's approval publishes it.
 */
export const listingTransitions: Record<
  ListingTransition,
  { from: readonly ListingStatus[]; to: ListingStatus }
> = {
  publish: { from: ['draft', 'unpublished'], to: 'published' },
  unpublish: { from: ['published', 'pending-review'], to: 'unpublished' },
};

/** Only published listings of sellers in good standing are visible to anyone but their seller. */
export function isPubliclyVisible(listing: Pick<Listing, 'status' | 'sellerSuspended'>): boolean {
  return listing.status === 'published' && !listing.sellerSuspended;
}

export interface ListingContent {
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly price: Money;
  readonly stock: number;
  /** The most one checkout may buy of it; none but the stock when absent. */
  readonly maxPerOrder?: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly images: readonly string[];
  /** The transaction process its orders go through, by id. */
  readonly process: string;
  /** The providers the process names (e.g. a designer), with their shares of the proceeds. */
  readonly providers: readonly ProviderShare[];
}

export interface Listing extends Omit<ListingContent, 'providers'> {
  /** The providers, each with their consent: a listing is published only once all have accepted. */
  readonly providers: readonly ListedProvider[];
  readonly id: string;
  readonly sellerId: string;
  readonly status: ListingStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly publishedAt?: string;
  /** Its seller is suspended: off the marketplace whatever its status, until they are reinstated. */
  readonly sellerSuspended?: boolean;
  /** An admin took it down after a report: it stays unpublished. */
  readonly removal?: ListingRemoval;
  /** The last moderation decision on it, if any: a rejection says why it went back to draft. */
  readonly moderation?: ModerationDecision;
  /** From the published reviews of its sellers by their buyers; absent until the first. */
  readonly rating?: Rating;
}

export interface ListingRemoval {
  readonly by: string;
  readonly at: string;
  readonly reportId: string;
  readonly note: string;
}

export const listingNotFound = (listingId: string) =>
  new DomainError('not-found', 'listing_not_found', `Listing ${listingId} does not exist.`);

/**
 * What is wrong with a listing's providers for its process, if anything: each provider the process
 * names once, nobody else, and shares that leave the seller a non-negative part.
 */
export function providerProblems(process: ProcessDefinition, providers: readonly ProviderShare[]): string[] {
  const named = providers.map((provider) => provider.party);
  const problems = [
    ...process.providers
      .filter((party) => !named.includes(party))
      .map((party) => `the ${process.id} process needs a ${party}`),
    ...named
      .filter((party, index) => !process.providers.includes(party) || named.indexOf(party) !== index)
      .map((party) => `${party} is not a provider of the ${process.id} process, or is named twice`),
  ];
  if (providers.reduce((sum, provider) => sum + provider.shareBps, 0) > 10_000) {
    problems.push('provider shares add up to more than 10000 basis points');
  }
  return problems;
}
