import { isCategoryWithin } from './commission.ts';
import { DomainError } from './errors.ts';
import type { Listing, ListingContent } from './listing.ts';

export const moderationModes = ['none', 'new-sellers', 'all', 'categories'] as const;
export type ModerationMode = (typeof moderationModes)[number];

/** Which listings an admin reviews before they go live. */
export interface ModerationPolicy {
  readonly mode: ModerationMode;
  /** `new-sellers`: how many of a seller's listings are reviewed before theirs go live at once. */
  readonly firstListings: number;
  /** `categories`: the categories, each with those below it, whose listings are reviewed. */
  readonly categories: readonly string[];
  /** Whether changing the content of a live listing the policy covers sends it back to review. */
  readonly reviewChanges: boolean;
}

export const noModeration: ModerationPolicy = {
  mode: 'none',
  firstListings: 0,
  categories: [],
  reviewChanges: false,
};

/** The fields a reviewer approved; price, stock and the process are the seller's to change. */
export const reviewedFields = ['title', 'description', 'category', 'attributes', 'images'] as const;

/** Whether the policy covers a listing of this category by a seller with `approved` listings approved so far. */
export function needsReview(policy: ModerationPolicy, category: string, approved: number): boolean {
  switch (policy.mode) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'new-sellers':
      return approved < policy.firstListings;
    case 'categories':
      return policy.categories.some((prefix) => isCategoryWithin(category, prefix));
  }
}

/** Whether `changes` to the live listing send it back to review under the policy. */
export function changeNeedsReview(
  policy: ModerationPolicy,
  listing: Listing,
  changes: Partial<ListingContent>,
  approved: number,
): boolean {
  const reviewedChanged = reviewedFields.some(
    (field) =>
      changes[field] !== undefined && JSON.stringify(changes[field]) !== JSON.stringify(listing[field]),
  );
  return (
    listing.status === 'published' &&
    policy.reviewChanges &&
    reviewedChanged &&
    needsReview(policy, changes.category ?? listing.category, approved)
  );
}

export type ModerationVerdict = 'approve' | 'reject';

/** The last decision on a listing: who, when, and why. */
export interface ModerationDecision {
  readonly verdict: ModerationVerdict;
  readonly by: string;
  readonly at: string;
  readonly reason?: string;
}

export const changedSinceReview = (current: number, reviewed: number) =>
  new DomainError(
    'stale-version',
    'version_mismatch',
    `The seller changed the listing since you reviewed version ${reviewed}: review version ${current}.`,
  );

export const notAwaitingReview = (listingId: string) =>
  new DomainError('conflict', 'not_awaiting_review', `Listing ${listingId} is not awaiting review.`);
