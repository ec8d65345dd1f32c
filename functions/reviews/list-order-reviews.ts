import { reviewStore } from '#shared/app/composition/stores/review-store.ts';
import { orderVisibleTo } from '#shared/app/orders/order-view.ts';
import { toOrderReviewView } from '#shared/app/reviews/review-view.ts';
import { orderNotFound } from '#shared/domain/order.ts';
import { isVisibleTo, reviewsLeftFor } from '#shared/domain/review.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { reviewRoutes } from '../routes/reviews.ts';

/**
 * The order's review window, and its reviews as the caller may read them: their own, and the
 * published ones (admins read all). While the window is open, the reviews they may still write.
 */
export const handler = httpHandler(reviewRoutes.listOrderReviews, async ({ params, caller }) => {
  const { window, reviews } = await reviewStore.ofOrder(params.orderId);
  if (!window) {
    await orderVisibleTo(params.orderId, caller);
    return { status: 200, body: { window: null, reviews: [], toWrite: [] } };
  }
  const admin = caller.roles.includes('admin');
  if (!admin && !Object.values(window.parties).includes(caller.userId)) throw orderNotFound(params.orderId);
  return {
    status: 200,
    body: {
      window: { status: window.status, closesAt: window.closesAt },
      reviews: reviews.filter((review) => admin || isVisibleTo(review, caller.userId)).map(toOrderReviewView),
      toWrite: reviewsLeftFor(window, reviews, caller.userId),
    },
  };
});
