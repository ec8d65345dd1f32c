import { reviewStore } from '#shared/app/composition/stores/review-store.ts';
import { toPublishedReviewView } from '#shared/app/reviews/review-view.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { reviewNotFound } from '#shared/domain/review.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { reviewRoutes } from '../routes/reviews.ts';

/** The subject of a published review answers it once, in public, wherever it is read. */
export const handler = httpHandler(reviewRoutes.respondToReview, async ({ params, body, caller }) => {
  const review = await reviewStore.get(params.reviewId);
  if (review?.status !== 'published') throw reviewNotFound(params.reviewId);
  if (review.subject.userId !== caller.userId) {
    throw new DomainError('forbidden', 'not_review_subject', 'Only the party reviewed may respond.');
  }
  const answered = await reviewStore.respond(review, { text: body.text, at: new Date().toISOString() });
  return { status: 201, body: toPublishedReviewView(answered) };
});
