import { type Review, ratesListings, ratingChangesOf } from '../domain/review.ts';
import type { TransactItem } from './conditional.ts';
import { listingKey } from './entities/listing.ts';
import {
  keyOfReview,
  listingReviewsPartition,
  publishedReviewEntity,
  publishedReviewSortKey,
  userRatingEntity,
  userRatingKey,
  userReviewsPartition,
} from './entities/review.ts';

/** Where a published review is read: under its subject, and under each listing it rates. */
export function copyKeysOf(review: Review): { PK: string; SK: string }[] {
  const SK = publishedReviewSortKey(review);
  const listings = ratesListings(review) ? review.listingIds.map(listingReviewsPartition) : [];
  return [userReviewsPartition(review.subject.userId), ...listings].map((PK) => ({ PK, SK }));
}

/**
 * The writes that publish `reviews` (each already marked published): each one's copies, and one
 * addition to the rating sums of each user and listing they rate. A listing's version goes up, so
 * the search index takes its new rating as it takes any other change.
 */
export function publicationOf(tableName: string, reviews: readonly Review[]): TransactItem[] {
  const copies = reviews.flatMap((review) =>
    copyKeysOf(review).map((key) => ({
      Put: {
        TableName: tableName,
        Item: publishedReviewEntity.item(key, review),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    })),
  );
  const { users, listings } = ratingChangesOf(reviews);
  const userRatings = [...users].map(([userId, change]) => ({
    Update: {
      TableName: tableName,
      Key: userRatingKey(userId),
      UpdateExpression:
        'SET entity = :entity, schemaVersion = :schemaVersion ADD ratingCount :count, ratingSum :sum',
      ExpressionAttributeValues: {
        ':entity': userRatingEntity.stamp.entity,
        ':schemaVersion': userRatingEntity.stamp.schemaVersion,
        ':count': change.count,
        ':sum': change.sum,
      },
    },
  }));
  const listingRatings = [...listings].map(([listingId, change]) => ({
    Update: {
      TableName: tableName,
      Key: listingKey(listingId),
      UpdateExpression: 'SET version = version + :one ADD ratingCount :count, ratingSum :sum',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':one': 1, ':count': change.count, ':sum': change.sum },
    },
  }));
  return [...copies, ...userRatings, ...listingRatings];
}

/** Marks a hidden review published, at `publishedAt`. */
export const publishing = (tableName: string, review: Review): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keyOfReview(review),
    UpdateExpression: 'SET #status = :published, publishedAt = :at',
    ConditionExpression: '#status = :hidden',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':published': 'published', ':hidden': 'hidden', ':at': review.publishedAt },
  },
});
