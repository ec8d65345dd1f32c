import { reviewStore } from '#shared/app/composition/stores/review-store.ts';
import { toPublishedReviewView } from '#shared/app/reviews/review-view.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { reviewRoutes } from '../routes/reviews.ts';

export const handler = httpHandler(reviewRoutes.listUserReviews, async ({ params, query }) => {
  const page = await reviewStore.listForUser(params.userId, query.limit, query.cursor);
  return { status: 200, body: { ...page, items: page.items.map(toPublishedReviewView) } };
});
