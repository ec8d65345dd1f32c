import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type RatingSums, type Review, type ReviewWindow, reviewStatuses } from '../../domain/review.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const partySchema = () => z.object({ party: z.string(), userId: z.string() });

const reviewSchema = deferred(() =>
  z.object({
    id: z.string(),
    orderId: z.string(),
    listingIds: z.array(z.string()),
    author: partySchema(),
    subject: partySchema(),
    rating: z.number(),
    text: z.string().optional(),
    status: z.enum(reviewStatuses),
    createdAt: z.string(),
    publishedAt: z.string().optional(),
    response: z.object({ text: z.string(), at: z.string() }).optional(),
    removal: z.object({ by: z.string(), at: z.string(), reportId: z.string(), note: z.string() }).optional(),
  }),
) satisfies z.ZodType<Review>;

/** A review, with the order it is of: hidden until published. */
export const reviewEntity = defineEntity<Review>({
  name: entities.review,
  version: 1,
  schema: reviewSchema,
  keys: [{ PK: 'ORDER#<orderId>', SK: 'REVIEW#<authorParty>#<subjectParty>' }],
});

/** The copy of a published review where it is read: under each listing it rates, and its subject. */
export const publishedReviewEntity = defineEntity<Review>({
  name: entities.publishedReview,
  version: 1,
  schema: reviewSchema,
  keys: [
    { PK: 'LISTING#<listingId>', SK: 'REVIEW#<publishedAt>#<reviewId>' },
    { PK: 'USER#<subjectId>', SK: 'REVIEW#<publishedAt>#<reviewId>' },
  ],
});

/** An order's review window: open from the order's completion until its timer closes it. */
export const reviewWindowEntity = defineEntity<ReviewWindow>({
  name: entities.reviewWindow,
  version: 1,
  schema: deferred(() =>
    z.object({
      orderId: z.string(),
      parties: z.record(z.string(), z.string()),
      listingIds: z.array(z.string()),
      opensAt: z.string(),
      closesAt: z.string(),
      status: z.enum(['open', 'closed']),
      reviewCount: z.number(),
    }),
  ),
  keys: [{ PK: 'ORDER#<orderId>', SK: 'REVIEW_WINDOW' }],
});

/** A user's rating sums, from the reviews of them published. */
export const userRatingEntity = defineEntity<Required<RatingSums>>({
  name: entities.userRating,
  version: 1,
  schema: deferred(() => z.object({ ratingCount: z.number(), ratingSum: z.number() })),
  keys: [{ PK: 'USER#<userId>', SK: 'REVIEWS' }],
});

const orderPartition = (orderId: string) => `ORDER#${orderId}`;

/** Every item beginning with it in the order's partition: its review window and its reviews. */
export const orderReviewsPrefix = 'REVIEW';

export const reviewKey = (orderId: string, authorParty: string, subjectParty: string) => ({
  PK: orderPartition(orderId),
  SK: `REVIEW#${authorParty}#${subjectParty}`,
});

export const keyOfReview = (review: Pick<Review, 'orderId' | 'author' | 'subject'>) =>
  reviewKey(review.orderId, review.author.party, review.subject.party);

export const reviewWindowKey = (orderId: string) => ({ PK: orderPartition(orderId), SK: 'REVIEW_WINDOW' });

export const userRatingKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'REVIEWS' });

/** The sort key of a published review's copies, newest last. */
export const publishedReviewSortKey = (review: Pick<Review, 'id' | 'publishedAt'>) =>
  `REVIEW#${review.publishedAt}#${review.id}`;

/** Where a published review is read: the listing's reviews, the subject's reviews. */
export const listingReviewsPartition = (listingId: string) => `LISTING#${listingId}`;
export const userReviewsPartition = (userId: string) => `USER#${userId}`;
