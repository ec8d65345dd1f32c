import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  counterpartOf,
  type Rating,
  type Review,
  type ReviewWindow,
  ratingOf,
  responseExists,
  reviewExists,
  reviewKeyOf,
  reviewNotFound,
  reviewWindowNotOpen,
} from '../domain/review.ts';
import { userSuspended } from '../domain/suspension.ts';
import { concurrentModification, fromAttributeValues } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  keyOfReview,
  listingReviewsPartition,
  orderReviewsPrefix,
  publishedReviewEntity,
  reviewEntity,
  reviewKey,
  reviewWindowEntity,
  reviewWindowKey,
  userRatingEntity,
  userRatingKey,
} from './entities/review.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { type Page, queryPage } from './query-page.ts';
import { copyKeysOf, publicationOf, publishing } from './review-publication.ts';
import { TransactionPlan } from './transaction.ts';

/** Two writes of the same order's reviews crossed: read again and retry, a few times at most. */
const maxAttempts = 5;

export interface OrderReviews {
  readonly window?: ReviewWindow;
  readonly reviews: readonly Review[];
}

export interface UserReviews extends Page<Review> {
  readonly rating?: Rating;
}

/** Reviews of completed orders, their review windows, and where published ones are read. See README.md. */
export class ReviewStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Opens the order's review window once: a window opened already stands as it was. */
  async openWindow(window: ReviewWindow): Promise<ReviewWindow> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: reviewWindowEntity.item(reviewWindowKey(window.orderId), window),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return window;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return reviewWindowEntity.decode(fromAttributeValues(error.Item) ?? {});
    }
  }

  /** The order's review window and reviews, in one Query of the order's partition. */
  async ofOrder(orderId: string): Promise<OrderReviews> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': reviewWindowKey(orderId).PK, ':prefix': orderReviewsPrefix },
        ConsistentRead: true,
      }),
    );
    const windowItem = Items.find((item) => item.SK === reviewWindowKey(orderId).SK);
    return {
      ...(windowItem ? { window: reviewWindowEntity.decode(windowItem) } : {}),
      reviews: Items.filter((item) => item !== windowItem).map((item) => reviewEntity.decode(item)),
    };
  }

  /**
   * Writes the hidden review `draft` makes of the order's review window (undefined before the order
   * completes), while the window is open and its author in good standing. When its counterpart is
   * waiting, both are published in the same transaction. Every write counts itself on the window,
   * conditioned on the count it read, so two reviews of an order written at once never both stay
   * hidden waiting for each other: the second is retried, and publishes both.
   */
  async write(
    orderId: string,
    draft: (window: ReviewWindow | undefined) => Review | Promise<Review>,
    now = new Date(),
  ): Promise<Review> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const { window, reviews } = await this.ofOrder(orderId);
      const review = await draft(window);
      if (window?.status !== 'open') throw reviewWindowNotOpen(orderId);
      if (reviews.some(({ id }) => id === review.id)) throw reviewExists();
      const counterpart = counterpartOf(review, reviews);
      const publishedAt = now.toISOString();
      const written: Review = counterpart ? { ...review, status: 'published', publishedAt } : review;
      const plan = new TransactionPlan<'window' | 'review' | 'standing' | 'publication'>()
        .add('window', this.countOn(window, 'SET reviewCount = reviewCount + :one', { ':one': 1 }))
        .add('review', {
          Put: {
            TableName: this.tableName,
            Item: reviewEntity.item(keyOfReview(written), written),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })
        .add('standing', {
          ConditionCheck: {
            TableName: this.tableName,
            Key: userSuspensionKey(review.author.userId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
      if (counterpart) {
        const answered: Review = { ...counterpart, status: 'published', publishedAt };
        plan.add(
          'publication',
          publishing(this.tableName, answered),
          ...publicationOf(this.tableName, [written, answered]),
        );
      }
      const cancelled = await plan.write(this.client);
      if (!cancelled) return written;
      if (cancelled.has('standing')) throw userSuspended();
      if (!cancelled.has('window') && !cancelled.conflict) throw cancelled.unexplained();
    }
    throw concurrentModification();
  }

  /**
   * Closes the order's review window and publishes every review still hidden, with the window's
   * count checked: a review written meanwhile is read and published too. Closing a closed window,
   * or one never opened, does nothing.
   */
  async closeWindow(orderId: string, now = new Date()): Promise<readonly Review[]> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const { window, reviews } = await this.ofOrder(orderId);
      if (window?.status !== 'open') return [];
      const publishedAt = now.toISOString();
      const published = reviews
        .filter((review) => review.status === 'hidden')
        .map((review) => ({ ...review, status: 'published' as const, publishedAt }));
      const cancelled = await new TransactionPlan<'window' | 'publication'>()
        .add('window', this.countOn(window, 'SET #status = :closed', { ':closed': 'closed' }))
        .add(
          'publication',
          ...published.map((review) => publishing(this.tableName, review)),
          ...publicationOf(this.tableName, published),
        )
        .write(this.client);
      if (!cancelled) return published;
      if (!cancelled.has('window') && !cancelled.conflict) throw cancelled.unexplained();
    }
    throw new Error(`the review window of order ${orderId} kept changing while it closed`);
  }

  /** An update of the open window, conditioned on the review count read with it. */
  private countOn(window: ReviewWindow, update: string, values: Record<string, unknown>) {
    return {
      Update: {
        TableName: this.tableName,
        Key: reviewWindowKey(window.orderId),
        UpdateExpression: update,
        ConditionExpression: '#status = :open AND reviewCount = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':open': 'open', ':seen': window.reviewCount },
      },
    };
  }

  /** A review by id, published or not. */
  async get(reviewId: string): Promise<Review | undefined> {
    const key = reviewKeyOf(reviewId);
    if (!key) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: reviewKey(key.orderId, key.author, key.subject),
        ConsistentRead: true,
      }),
    );
    return decodeIfPresent(reviewEntity, Item);
  }

  /**
   * Records the subject's one response on a published review and on its copies, the subject in good
   * standing. The review is the one the caller read: its copies are where its publication put them.
   */
  async respond(review: Review, response: NonNullable<Review['response']>): Promise<Review> {
    const answer = {
      UpdateExpression: 'SET #response = :response',
      ExpressionAttributeNames: { '#response': 'response' },
    };
    const cancelled = await new TransactionPlan<'review' | 'copies' | 'standing'>()
      .add('review', {
        Update: {
          TableName: this.tableName,
          Key: keyOfReview(review),
          ...answer,
          ConditionExpression: 'attribute_not_exists(#response) AND #status = :published',
          ExpressionAttributeNames: { ...answer.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: { ':response': response, ':published': 'published' },
        },
      })
      .add(
        'copies',
        ...copyKeysOf(review).map((Key) => ({
          Update: {
            TableName: this.tableName,
            Key,
            ...answer,
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':response': response },
          },
        })),
      )
      .add('standing', {
        ConditionCheck: {
          TableName: this.tableName,
          Key: userSuspensionKey(review.subject.userId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .write(this.client);
    if (!cancelled) return { ...review, response };
    if (cancelled.has('standing')) throw userSuspended();
    if (cancelled.has('review')) throw responseExists();
    if (cancelled.has('copies')) throw reviewNotFound(review.id);
    throw cancelled.unexplained();
  }

  /** A listing's published reviews, newest first. */
  async listForListing(listingId: string, limit: number, cursor?: string): Promise<Page<Review>> {
    const page = await this.newestFirst(listingReviewsPartition(listingId), 'REVIEW#', limit, cursor);
    return { ...page, items: page.items.map((item) => publishedReviewEntity.decode(item)) };
  }

  /**
   * A user's published reviews, newest first, and on the first page their rating: its item sorts
   * after every review's copy in the partition, so a newest-first Query meets it first. It exists
   * from their first published review on.
   */
  async listForUser(userId: string, limit: number, cursor?: string): Promise<UserReviews> {
    const ratingKey = userRatingKey(userId);
    const page = await this.newestFirst(ratingKey.PK, 'REVIEW', cursor ? limit : limit + 1, cursor);
    const ratingItem = page.items.find((item) => item.SK === ratingKey.SK);
    const rating = ratingItem ? ratingOf(userRatingEntity.decode(ratingItem)) : undefined;
    return {
      ...page,
      items: page.items
        .filter((item) => item !== ratingItem)
        .map((item) => publishedReviewEntity.decode(item)),
      ...(rating ? { rating } : {}),
    };
  }

  private newestFirst(partition: string, prefix: string, limit: number, cursor: string | undefined) {
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
        ScanIndexForward: false,
      },
      {
        kind: 'publishedReview',
        limit,
        cursor,
        sortKeyAttribute: 'SK',
        startKey: (SK) => ({ PK: partition, SK }),
      },
    );
  }
}
