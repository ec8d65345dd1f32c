import { DomainError } from './errors.ts';
import { orderNotFound } from './order.ts';

/**
 * Reviews of a completed order, double-blind: each party reviews the parties across from them, a
 * review stays hidden until its counterpart (the subject's review of its author) is written or the
 * order's review window closes, and then both are published at once. Nobody reads the other side's
 * review before writing their own.
 */

/** The buyer faces every other party (seller and providers); each of those faces the buyer. */
export const buyerParty = 'buyer';
const unreviewedParties: readonly string[] = [buyerParty, 'admin'];

export const maxReviewTextLength = 2000;

export const reviewStatuses = ['hidden', 'published', 'removed'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

export interface ReviewParty {
  readonly party: string;
  readonly userId: string;
}

export interface Review {
  /** `<orderId>.<author party>.<subject party>`: one review per order, author and subject. */
  readonly id: string;
  readonly orderId: string;
  /** The order's listings: a review of its seller by the buyer rates them too. */
  readonly listingIds: readonly string[];
  readonly author: ReviewParty;
  readonly subject: ReviewParty;
  /** 1 to 5. */
  readonly rating: number;
  readonly text?: string;
  readonly status: ReviewStatus;
  readonly createdAt: string;
  readonly publishedAt?: string;
  /** The subject's one public answer. */
  readonly response?: { readonly text: string; readonly at: string };
  /** An admin took it down after a report: off every public list, out of the ratings. */
  readonly removal?: ReviewRemoval;
}

export interface ReviewRemoval {
  readonly by: string;
  readonly at: string;
  readonly reportId: string;
  readonly note: string;
}

/** An order's reviews stand open from its completion until the window's timer closes them. */
export interface ReviewWindow {
  readonly orderId: string;
  /** Party name -> user id, as on the order. */
  readonly parties: Readonly<Record<string, string>>;
  readonly listingIds: readonly string[];
  readonly opensAt: string;
  readonly closesAt: string;
  readonly status: 'open' | 'closed';
  /** Reviews written so far: each write counts itself, so two writes of an order never cross. */
  readonly reviewCount: number;
}

export interface Rating {
  readonly average: number;
  readonly count: number;
}

/** Sums kept on the rated item: the average is derived when read, so a publication only adds. */
export interface RatingSums {
  readonly ratingCount?: number;
  readonly ratingSum?: number;
}

export function ratingOf({ ratingCount, ratingSum }: RatingSums): Rating | undefined {
  if (!ratingCount || ratingSum === undefined) return undefined;
  return { average: Math.round((ratingSum / ratingCount) * 100) / 100, count: ratingCount };
}

export const reviewIdOf = (orderId: string, author: string, subject: string) =>
  `${orderId}.${author}.${subject}`;

/** The order and parties a review id names; undefined for one no review could have. */
export function reviewKeyOf(
  reviewId: string,
): { orderId: string; author: string; subject: string } | undefined {
  const [orderId, author, subject, ...rest] = reviewId.split('.');
  return orderId && author && subject && rest.length === 0 ? { orderId, author, subject } : undefined;
}

/** The parties `party` reviews on an order with these parties. */
export function subjectsOf(parties: Readonly<Record<string, string>>, party: string): string[] {
  const across = Object.keys(parties).filter((other) => !unreviewedParties.includes(other));
  if (party === buyerParty) return across;
  return across.includes(party) ? [buyerParty] : [];
}

/** The parties of the order the user takes part as, that review someone. */
export const reviewingPartiesOf = (parties: Readonly<Record<string, string>>, userId: string) =>
  Object.entries(parties)
    .filter(([party, holder]) => holder === userId && subjectsOf(parties, party).length > 0)
    .map(([party]) => party);

export interface ReviewDraft {
  readonly as?: string;
  readonly subject: string;
  readonly rating: number;
  readonly text?: string;
}

/**
 * The review `userId` writes on the window's order, checked: the author is a party of the order
 * (the one `as` names when they take part twice; to anyone else the order does not exist) and the
 * subject a party across from them.
 */
export function draftReview(window: ReviewWindow, userId: string, draft: ReviewDraft, now: Date): Review {
  if (!Object.values(window.parties).includes(userId)) throw orderNotFound(window.orderId);
  const mine = reviewingPartiesOf(window.parties, userId);
  if (draft.as !== undefined && !mine.includes(draft.as)) {
    throw new DomainError('unprocessable', 'not_your_party', `You are not the ${draft.as} of this order.`, [
      { path: ['as'], message: `must be one of your parties: ${mine.join(', ')}` },
    ]);
  }
  const author = draft.as ?? (mine.length === 1 ? mine[0] : undefined);
  if (author === undefined) {
    throw new DomainError(
      'unprocessable',
      'party_ambiguous',
      'You take part in this order more than once: say as which party you review.',
      [{ path: ['as'], message: `is required: one of ${mine.join(', ')}` }],
    );
  }
  const subjects = subjectsOf(window.parties, author);
  const subjectUser = window.parties[draft.subject];
  if (!subjects.includes(draft.subject) || subjectUser === undefined) {
    throw new DomainError(
      'unprocessable',
      'not_a_subject',
      `As ${author} you review ${subjects.join(', ')}, not ${draft.subject}.`,
      [{ path: ['subject'], message: `must be one of ${subjects.join(', ')}` }],
    );
  }
  return {
    id: reviewIdOf(window.orderId, author, draft.subject),
    orderId: window.orderId,
    listingIds: window.listingIds,
    author: { party: author, userId },
    subject: { party: draft.subject, userId: subjectUser },
    rating: draft.rating,
    ...(draft.text === undefined ? {} : { text: draft.text }),
    status: 'hidden',
    createdAt: now.toISOString(),
  };
}

/** The reviews `userId` may still write on the window's order: none once it closed. */
export function reviewsLeftFor(
  window: ReviewWindow,
  reviews: readonly Review[],
  userId: string,
): { as: string; subject: string }[] {
  if (window.status !== 'open') return [];
  const written = new Set(reviews.map((review) => `${review.author.party}.${review.subject.party}`));
  return reviewingPartiesOf(window.parties, userId).flatMap((as) =>
    subjectsOf(window.parties, as)
      .filter((subject) => !written.has(`${as}.${subject}`))
      .map((subject) => ({ as, subject })),
  );
}

/** The review of `review`'s author by its subject, which publishes it, if written. */
export const counterpartOf = (review: Review, reviews: readonly Review[]) =>
  reviews.find(
    (other) => other.author.party === review.subject.party && other.subject.party === review.author.party,
  );

/** A review about the seller, by the buyer, rates the order's listings as well as the seller. */
export const ratesListings = (review: Review) =>
  review.author.party === buyerParty && review.subject.party === 'seller';

export interface RatingChange {
  readonly count: number;
  readonly sum: number;
}

/**
 * What publishing these reviews adds to each rated user's and listing's sums, one change per user
 * and listing (a transaction touches each item once, and one user may be two parties).
 */
export function ratingChangesOf(reviews: readonly Review[]): {
  users: ReadonlyMap<string, RatingChange>;
  listings: ReadonlyMap<string, RatingChange>;
} {
  const users = new Map<string, RatingChange>();
  const listings = new Map<string, RatingChange>();
  const add = (sums: Map<string, RatingChange>, id: string, rating: number) => {
    const current = sums.get(id) ?? { count: 0, sum: 0 };
    sums.set(id, { count: current.count + 1, sum: current.sum + rating });
  };
  for (const review of reviews) {
    add(users, review.subject.userId, review.rating);
    if (ratesListings(review))
      for (const listingId of review.listingIds) add(listings, listingId, review.rating);
  }
  return { users, listings };
}

/** What a reader other than its author sees of a review: published ones only. */
export const isVisibleTo = (review: Review, userId: string) =>
  review.status === 'published' || review.author.userId === userId;

export const reviewWindowNotOpen = (orderId: string) =>
  new DomainError(
    'conflict',
    'review_window_not_open',
    `Order ${orderId} takes no reviews: it is not completed, or its review window has closed.`,
  );

export const reviewExists = () =>
  new DomainError('conflict', 'review_exists', 'You have reviewed this party of the order already.');

export const reviewNotFound = (reviewId: string) =>
  new DomainError('not-found', 'review_not_found', `Review ${reviewId} does not exist.`);

export const responseExists = () =>
  new DomainError('conflict', 'response_exists', 'This review has its response already.');
