import {
  type RatingChange,
  type Review,
  type ReviewRemoval,
  ratesListings,
  ratingChangesOf,
} from '../domain/review.ts';
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
  return [...copies, ...ratingUpdatesOf(tableName, reviews, 1)];
}

/**
 * The writes that take a published review down after a report: marked removed (with why), its
 * copies deleted, its rating taken out of the sums it was added to.
 */
export function withdrawalOf(tableName: string, review: Review, removal: ReviewRemoval): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName,
        Key: keyOfReview(review),
        UpdateExpression: 'SET #status = :removed, removal = :removal',
        ConditionExpression: '#status = :published',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':removed': 'removed', ':published': 'published', ':removal': removal },
      },
    },
    ...copyKeysOf(review).map((Key) => ({
      Delete: { TableName: tableName, Key, ConditionExpression: 'attribute_exists(PK)' },
    })),
    ...ratingUpdatesOf(tableName, [review], -1),
  ];
}

/** One update of each rated user's and listing's sums: the reviews' ratings added, or taken out. */
function ratingUpdatesOf(tableName: string, reviews: readonly Review[], sign: 1 | -1): TransactItem[] {
  const { users, listings } = ratingChangesOf(reviews);
  const values = (change: RatingChange) => ({ ':count': sign * change.count, ':sum': sign * change.sum });
  const userRatings = [...users].map(([userId, change]) => ({
    Update: {
      TableName: tableName,
      Key: userRatingKey(userId),
      UpdateExpression:
        'SET entity = :entity, schemaVersion = :schemaVersion ADD ratingCount :count, ratingSum :sum',
      ExpressionAttributeValues: {
        ':entity': userRatingEntity.stamp.entity,
        ':schemaVersion': userRatingEntity.stamp.schemaVersion,
        ...values(change),
      },
    },
  }));
  const listingRatings = [...listings].map(([listingId, change]) => ({
    Update: {
      TableName: tableName,
      Key: listingKey(listingId),
      UpdateExpression: 'SET version = version + :one ADD ratingCount :count, ratingSum :sum',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':one': 1, ...values(change) },
    },
  }));
  return [...userRatings, ...listingRatings];
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
