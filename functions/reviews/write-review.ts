import { reviewStore } from '#shared/app/composition/stores/review-store.ts';
import { orderVisibleTo } from '#shared/app/orders/order-view.ts';
import { toOrderReviewView } from '#shared/app/reviews/review-view.ts';
import { draftReview, reviewWindowNotOpen } from '#shared/domain/review.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { reviewRoutes } from '../routes/reviews.ts';

/**
 * A party of a completed order reviews a party across from them, once. The review stays hidden
 * until its counterpart is written (then both are published) or the order's review window closes.
 */
export const handler = httpHandler(reviewRoutes.writeReview, async ({ params, body, caller }) => {
  const now = new Date();
  const review = await reviewStore.write(
    params.orderId,
    async (window) => {
      if (window) return draftReview(window, caller.userId, body, now);
      // Not completed yet: to anyone but its parties the order does not exist.
      await orderVisibleTo(params.orderId, caller);
      throw reviewWindowNotOpen(params.orderId);
    },
    now,
  );
  return {
    status: 201,
    body: toOrderReviewView(review),
    headers: { location: `/orders/${params.orderId}/reviews` },
  };
});
