import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { maxReviewTextLength, reviewStatuses } from '#shared/domain/review.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';

const party = () =>
  z
    .string()
    .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'is not a party name')
    .max(40)
    .meta({ description: 'A party of the order: buyer, seller, or a provider such as designer' });

const reviewId = () =>
  z
    .string()
    .regex(
      /^[0-9a-f-]{36}\.[a-z][a-z0-9-]{0,39}\.[a-z][a-z0-9-]{0,39}$/,
      'is not a review id: <orderId>.<author party>.<subject party>',
    )
    .meta({ description: 'Review id: <orderId>.<author party>.<subject party>' });

export const reviewParams = deferred(() => z.strictObject({ reviewId: reviewId() }));

export const reviewBody = component('ReviewInput', () =>
  z.strictObject({
    subject: party().meta({
      description: 'The party reviewed: the buyer reviews each other party, they review the buyer',
    }),
    as: party().optional().meta({ description: 'Your party in the order, when you take part in it twice' }),
    rating: z.number().int().min(1).max(5),
    text: z.string().trim().min(1).max(maxReviewTextLength).optional(),
  }),
);

export const responseBody = component('ReviewResponseInput', () =>
  z.strictObject({ text: z.string().trim().min(1).max(maxReviewTextLength) }),
);

const reviewParty = () => z.object({ party: z.string(), userId: z.string() });

const reviewShape = () => ({
  id: z.string(),
  author: reviewParty(),
  subject: reviewParty(),
  rating: z.number().int(),
  text: z.string().optional(),
  response: z
    .object({ text: z.string(), at: z.iso.datetime() })
    .optional()
    .meta({ description: "The subject's one public response" }),
});

/** A published review, as anyone reads it. */
export const publishedReviewView = component('PublishedReview', () =>
  z.object({ ...reviewShape(), publishedAt: z.iso.datetime() }),
);

/** A review as its order's parties read it: their own before it is published. */
export const orderReviewView = component('OrderReview', () =>
  z.object({
    ...reviewShape(),
    status: z.enum(reviewStatuses).meta({
      description:
        'hidden until the counterpart review is written or the review window closes; removed by an admin after a report',
    }),
    createdAt: z.iso.datetime(),
    publishedAt: z.iso.datetime().optional(),
  }),
);

const ratingView = () =>
  z.object({ average: z.number().meta({ description: 'Rounded to two decimals' }), count: z.number().int() });

export const orderReviewsView = component('OrderReviews', () =>
  z.object({
    window: z
      .object({ status: z.enum(['open', 'closed']), closesAt: z.iso.datetime() })
      .nullable()
      .meta({ description: 'Null until the order completes' }),
    reviews: z.array(orderReviewView),
    toWrite: z
      .array(z.object({ as: z.string(), subject: z.string() }))
      .meta({ description: 'The reviews you may still write, while the window is open' }),
  }),
);

export const listingReviewPage = pageOf(publishedReviewView, 'ListingReviewPage');

export const userReviewPage = component('UserReviewPage', () =>
  z.object({
    items: z.array(publishedReviewView),
    nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` to get the next page.' }),
    rating: ratingView().optional().meta({ description: "The user's rating, on the first page once rated" }),
  }),
);

export const reviewPageQuery = deferred(() => pageQueryOf('publishedReview'));
