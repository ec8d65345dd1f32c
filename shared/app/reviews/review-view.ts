import type { Review } from '#shared/domain/review.ts';

/** A published review as anyone reads it: not the order it came from, nor its listings. */
export const toPublishedReviewView = ({
  id,
  author,
  subject,
  rating,
  text,
  publishedAt,
  response,
}: Review) => ({
  id,
  author,
  subject,
  rating,
  ...(text === undefined ? {} : { text }),
  publishedAt,
  ...(response ? { response } : {}),
});

/** A review as a party of its order reads it, status included. */
export const toOrderReviewView = (review: Review) => ({
  ...toPublishedReviewView(review),
  status: review.status,
  createdAt: review.createdAt,
});
