import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { draftReview, type Review, type ReviewWindow } from '#shared/domain/review.ts';
import { userSuspensionEntity, userSuspensionKey } from '#shared/store/entities/user-suspension.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { ReviewStore } from '#shared/store/review-store.ts';
import { lampContent } from '../support/fixtures.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let reviews: ReviewStore;
let listings: ListingStore;
let listingId: string;

beforeAll(async () => {
  table = await freshTable();
  reviews = new ReviewStore(table.client, table.tableName);
  listings = new ListingStore(table.client, table.tableName);
  listingId = (await listings.create('sam', lampContent)).id;
});

/** A completed custom order's open window: buyer bea, seller sam, designer dan. */
async function openOrder(parties: Record<string, string> = { buyer: 'bea', seller: 'sam', designer: 'dan' }) {
  const now = new Date();
  const window: ReviewWindow = {
    orderId: randomUUID(),
    parties,
    listingIds: [listingId],
    opensAt: now.toISOString(),
    closesAt: new Date(now.getTime() + 60_000).toISOString(),
    status: 'open',
    reviewCount: 0,
  };
  return reviews.openWindow(window);
}

const write = (orderId: string, userId: string, subject: string, rating: number, as?: string) =>
  reviews.write(orderId, (window) => {
    if (!window) throw new Error('no window');
    return draftReview(
      window,
      userId,
      { subject, rating, ...(as ? { as } : {}), text: `${userId} on ${subject}` },
      new Date(),
    );
  });

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );

const statuses = async (orderId: string) =>
  Object.fromEntries(
    (await reviews.ofOrder(orderId)).reviews.map((review) => [
      `${review.author.party}>${review.subject.party}`,
      review.status,
    ]),
  );

describe('ReviewStore', () => {
  it('keeps a review hidden until its counterpart is written, then publishes both with the ratings', async () => {
    const window = await openOrder();
    const before = (await listings.get(listingId))?.version ?? 0;
    const first = await write(window.orderId, 'bea', 'seller', 4);
    expect(first.status).toBe('hidden');
    expect((await reviews.listForUser('sam', 10)).items.map(({ id }) => id)).not.toContain(first.id);

    const second = await write(window.orderId, 'sam', 'buyer', 5);
    expect(second.status).toBe('published');
    expect(await statuses(window.orderId)).toEqual({
      'buyer>seller': 'published',
      'seller>buyer': 'published',
    });

    const samReviews = await reviews.listForUser('sam', 10);
    expect(samReviews.items.map(({ id }) => id)).toContain(first.id);
    expect(samReviews.rating?.count).toBeGreaterThanOrEqual(1);
    expect((await reviews.listForUser('bea', 10)).items.map(({ id }) => id)).toContain(second.id);
    expect((await reviews.listForListing(listingId, 10)).items.map(({ id }) => id)).toContain(first.id);
    // The designer's review pair is another pair: nothing of it was written.
    const listing = await listings.get(listingId);
    expect(listing?.version).toBe(before + 1);
    expect(listing?.rating?.count).toBeGreaterThanOrEqual(1);
  });

  it('publishes both reviews of a pair written at the same moment', async () => {
    for (let round = 0; round < 5; round += 1) {
      const window = await openOrder();
      const outcomes = await Promise.all([
        codeOf(write(window.orderId, 'bea', 'designer', 3)),
        codeOf(write(window.orderId, 'dan', 'buyer', 2)),
      ]);
      expect(outcomes).toEqual(['ok', 'ok']);
      expect(await statuses(window.orderId)).toEqual({
        'buyer>designer': 'published',
        'designer>buyer': 'published',
      });
    }
  });

  it('takes one review per order, author and subject', async () => {
    const window = await openOrder();
    const outcomes = await Promise.all(
      [1, 2, 3].map((rating) => codeOf(write(window.orderId, 'bea', 'seller', rating))),
    );
    expect(outcomes.sort()).toEqual(['ok', 'review_exists', 'review_exists']);
  });

  it('keeps the first window opened for an order', async () => {
    const window = await openOrder();
    const again = await reviews.openWindow({ ...window, closesAt: new Date(Date.now() + 1e9).toISOString() });
    expect(again).toEqual(window);
  });

  it('publishes what is hidden when the window closes, once, and takes no review after', async () => {
    const window = await openOrder();
    await write(window.orderId, 'bea', 'seller', 2);
    await write(window.orderId, 'dan', 'buyer', 5);
    const published = await reviews.closeWindow(window.orderId);
    expect(published.map((review) => review.id).sort()).toEqual(
      [`${window.orderId}.buyer.seller`, `${window.orderId}.designer.buyer`].sort(),
    );
    expect(await statuses(window.orderId)).toEqual({
      'buyer>seller': 'published',
      'designer>buyer': 'published',
    });
    expect(await reviews.closeWindow(window.orderId)).toEqual([]);
    expect(await codeOf(write(window.orderId, 'sam', 'buyer', 5))).toBe('review_window_not_open');
  });

  it('refuses a suspended author', async () => {
    const window = await openOrder({ buyer: 'sly', seller: 'sam' });
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: userSuspensionEntity.item(userSuspensionKey('sly'), {
          userId: 'sly',
          reason: 'fraud',
          by: 'ada',
          since: new Date().toISOString(),
        }),
      }),
    );
    expect(await codeOf(write(window.orderId, 'sly', 'seller', 1))).toBe('user_suspended');
    expect(await statuses(window.orderId)).toEqual({});
  });

  it('records one response of the subject, on the review and where it is read', async () => {
    const window = await openOrder({ buyer: 'ray', seller: 'sam' });
    const review = await write(window.orderId, 'ray', 'seller', 1);
    await write(window.orderId, 'sam', 'buyer', 4);
    const published = (await reviews.get(review.id)) as Review;
    const response = { text: 'We refunded the shipping.', at: new Date().toISOString() };
    const outcomes = await Promise.all([
      codeOf(reviews.respond(published, response)),
      codeOf(reviews.respond(published, { ...response, text: 'Second thoughts' })),
    ]);
    expect(outcomes.sort()).toEqual(['ok', 'response_exists']);
    const read = (await reviews.listForListing(listingId, 50)).items.find(({ id }) => id === review.id);
    expect(read?.response?.text).toBe((await reviews.get(review.id))?.response?.text);
    expect(
      (await reviews.listForUser('sam', 50)).items.find(({ id }) => id === review.id)?.response,
    ).toBeDefined();
  });

  it("pages a user's reviews newest first, with the rating on the first page", async () => {
    const subject = `pat-${randomUUID().slice(0, 8)}`;
    const ratings = [5, 4, 3];
    for (const rating of ratings) {
      const window = await openOrder({ buyer: `buyer-${rating}`, seller: subject });
      await write(window.orderId, `buyer-${rating}`, 'seller', rating);
      await reviews.closeWindow(window.orderId);
    }
    const first = await reviews.listForUser(subject, 2);
    expect(first.rating).toEqual({ average: 4, count: 3 });
    expect(first.items.map(({ rating }) => rating)).toEqual([3, 4]);
    const second = await reviews.listForUser(subject, 2, first.nextCursor);
    expect(second.items.map(({ rating }) => rating)).toEqual([5]);
    expect(second.rating).toBeUndefined();
    expect(second.nextCursor).toBeUndefined();
  });
});
