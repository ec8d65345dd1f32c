import { defineRoute } from '#shared/http/route.ts';
import { listingParams } from './schemas/catalog.ts';
import { orderParams } from './schemas/orders.ts';
import {
  listingReviewPage,
  orderReviewsView,
  orderReviewView,
  publishedReviewView,
  responseBody,
  reviewBody,
  reviewPageQuery,
  reviewParams,
  userReviewPage,
} from './schemas/reviews.ts';
import { userParams } from './schemas/trust.ts';

/**
 * Reviews of completed orders, double-blind: written by the order's parties while its review
 * window is open, read by anyone once published.
 */
export const reviewRoutes = {
  writeReview: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/reviews',
    handler: 'reviews/write-review',
    summary:
      'Review a party of your completed order: hidden until they review you or the review window closes',
    tags: ['reviews'],
    // The order's window and reviews (a Query), then a transaction: the window counted, the review
    // put, the author's standing checked; publishing a pair updates the counterpart, puts the copies
    // and adds to the rated users' and listings' sums.
    uses: { table: ['Query', 'UpdateItem', 'PutItem', 'ConditionCheckItem', 'GetItem'] },
    access: ['buyer', 'seller'],
    params: orderParams,
    body: reviewBody,
    responses: {
      201: {
        description: 'Written; published at once when its counterpart was waiting',
        body: orderReviewView,
      },
      403: { description: 'You are suspended' },
      409: {
        description:
          'The order takes no reviews (not completed, or its window closed), or you reviewed this party already',
      },
      422: { description: 'Not a party you review, or `as` is needed' },
    },
  }),
  listOrderReviews: defineRoute({
    method: 'GET',
    path: '/orders/{orderId}/reviews',
    handler: 'reviews/list-order-reviews',
    summary: "An order's review window, the reviews you may read and those you may still write",
    tags: ['reviews'],
    uses: { table: ['Query', 'GetItem'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    responses: { 200: { description: "The order's reviews", body: orderReviewsView } },
  }),
  respondToReview: defineRoute({
    method: 'POST',
    path: '/reviews/{reviewId}/response',
    handler: 'reviews/respond-to-review',
    summary: 'Answer a published review of you, once, in public',
    tags: ['reviews'],
    uses: { table: ['GetItem', 'UpdateItem', 'ConditionCheckItem'] },
    access: ['buyer', 'seller'],
    params: reviewParams,
    body: responseBody,
    responses: {
      201: { description: 'The review with its response', body: publishedReviewView },
      403: { description: 'The review is not of you, or you are suspended' },
      409: { description: 'The review has its response already' },
    },
  }),
  listListingReviews: defineRoute({
    method: 'GET',
    path: '/listings/{listingId}/reviews',
    handler: 'reviews/list-listing-reviews',
    summary: "A listing's published reviews, newest first",
    tags: ['reviews'],
    uses: { table: ['Query'] },
    access: 'public',
    params: listingParams,
    query: reviewPageQuery,
    responses: { 200: { description: 'One page of reviews', body: listingReviewPage } },
  }),
  listUserReviews: defineRoute({
    method: 'GET',
    path: '/users/{userId}/reviews',
    handler: 'reviews/list-user-reviews',
    summary: "A user's published reviews, newest first, with their rating on the first page",
    tags: ['reviews'],
    uses: { table: ['Query'] },
    access: 'public',
    params: userParams,
    query: reviewPageQuery,
    responses: { 200: { description: 'One page of reviews', body: userReviewPage } },
  }),
};
