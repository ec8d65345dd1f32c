import { describe, expect, it } from 'vitest';
import {
  counterpartOf,
  draftReview,
  type Review,
  type ReviewWindow,
  ratingChangesOf,
  ratingOf,
  reviewIdOf,
  reviewingPartiesOf,
  reviewKeyOf,
  reviewsLeftFor,
  subjectsOf,
} from '#shared/domain/review.ts';

const custom = { buyer: 'bea', seller: 'sam', designer: 'dan', manufacturer: 'max' };
const now = new Date('2026-12-05T10:00:00.000Z');

const windowOf = (parties: Record<string, string>): ReviewWindow => ({
  orderId: '9d9f1c1e-0000-4000-8000-000000000001',
  parties,
  listingIds: ['listing-1', 'listing-2'],
  opensAt: now.toISOString(),
  closesAt: now.toISOString(),
  status: 'open',
  reviewCount: 0,
});

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('who reviews whom', () => {
  it('has the buyer review every other party but admin, and each of them the buyer', () => {
    const parties = { ...custom, admin: 'ada' };
    expect(subjectsOf(parties, 'buyer')).toEqual(['seller', 'designer', 'manufacturer']);
    expect(subjectsOf(parties, 'designer')).toEqual(['buyer']);
    expect(subjectsOf(parties, 'admin')).toEqual([]);
    expect(subjectsOf(parties, 'stranger')).toEqual([]);
  });

  it('finds every party a user reviews as, two for a seller who designs too', () => {
    expect(reviewingPartiesOf({ ...custom, designer: 'sam' }, 'sam')).toEqual(['seller', 'designer']);
    expect(reviewingPartiesOf(custom, 'nobody')).toEqual([]);
  });
});

describe('draftReview', () => {
  it('names the review by order, author and subject, hidden, with the order’s listings', () => {
    const review = draftReview(
      windowOf(custom),
      'bea',
      { subject: 'designer', rating: 5, text: 'Great' },
      now,
    );
    expect(review).toEqual({
      id: `${windowOf(custom).orderId}.buyer.designer`,
      orderId: windowOf(custom).orderId,
      listingIds: ['listing-1', 'listing-2'],
      author: { party: 'buyer', userId: 'bea' },
      subject: { party: 'designer', userId: 'dan' },
      rating: 5,
      text: 'Great',
      status: 'hidden',
      createdAt: now.toISOString(),
    });
  });

  it('refuses strangers as if the order did not exist, and parties that are not across', () => {
    const window = windowOf(custom);
    expect(codeOf(() => draftReview(window, 'eve', { subject: 'seller', rating: 1 }, now))).toBe(
      'order_not_found',
    );
    expect(codeOf(() => draftReview(window, 'dan', { subject: 'seller', rating: 1 }, now))).toBe(
      'not_a_subject',
    );
    expect(codeOf(() => draftReview(window, 'bea', { subject: 'admin', rating: 1 }, now))).toBe(
      'not_a_subject',
    );
    expect(
      codeOf(() => draftReview(window, 'bea', { subject: 'seller', rating: 1, as: 'seller' }, now)),
    ).toBe('not_your_party');
  });

  it('asks a user holding two parties which one reviews', () => {
    const window = windowOf({ ...custom, designer: 'sam' });
    expect(codeOf(() => draftReview(window, 'sam', { subject: 'buyer', rating: 4 }, now))).toBe(
      'party_ambiguous',
    );
    const asDesigner = draftReview(window, 'sam', { subject: 'buyer', rating: 4, as: 'designer' }, now);
    expect(asDesigner.id).toBe(reviewIdOf(window.orderId, 'designer', 'buyer'));
  });
});

describe('reviewsLeftFor', () => {
  it('lists the reviews a party has yet to write while the window is open, none after', () => {
    const window = windowOf(custom);
    const written = { ...draftReview(window, 'bea', { subject: 'designer', rating: 4 }, now) };
    expect(reviewsLeftFor(window, [written], 'bea')).toEqual([
      { as: 'buyer', subject: 'seller' },
      { as: 'buyer', subject: 'manufacturer' },
    ]);
    expect(reviewsLeftFor(window, [written], 'dan')).toEqual([{ as: 'designer', subject: 'buyer' }]);
    expect(reviewsLeftFor({ ...window, status: 'closed' }, [], 'bea')).toEqual([]);
  });
});

describe('review ids', () => {
  it('give back the order and parties they were made of, and nothing for anything else', () => {
    expect(reviewKeyOf(reviewIdOf('order-1', 'buyer', 'seller'))).toEqual({
      orderId: 'order-1',
      author: 'buyer',
      subject: 'seller',
    });
    expect(reviewKeyOf('order-1.buyer')).toBeUndefined();
    expect(reviewKeyOf('a.b.c.d')).toBeUndefined();
  });
});

describe('ratings', () => {
  const window = windowOf({ ...custom, designer: 'sam' });
  const review = (userId: string, subject: string, rating: number, as?: string): Review => ({
    ...draftReview(window, userId, { subject, rating, ...(as ? { as } : {}) }, now),
    status: 'published',
  });

  it('merge per user and listing, the buyer’s review of the seller rating the listings too', () => {
    const changes = ratingChangesOf([
      review('bea', 'seller', 5),
      review('bea', 'designer', 3),
      review('bea', 'manufacturer', 1),
      review('sam', 'buyer', 4, 'seller'),
    ]);
    expect(Object.fromEntries(changes.users)).toEqual({
      sam: { count: 2, sum: 8 },
      max: { count: 1, sum: 1 },
      bea: { count: 1, sum: 4 },
    });
    expect(Object.fromEntries(changes.listings)).toEqual({
      'listing-1': { count: 1, sum: 5 },
      'listing-2': { count: 1, sum: 5 },
    });
  });

  it('pairs each review with its subject’s review of its author', () => {
    const buyerOfDesigner = review('bea', 'designer', 3);
    const designerOfBuyer = review('sam', 'buyer', 4, 'designer');
    const sellerOfBuyer = review('sam', 'buyer', 2, 'seller');
    expect(counterpartOf(buyerOfDesigner, [sellerOfBuyer, designerOfBuyer])).toBe(designerOfBuyer);
    expect(counterpartOf(buyerOfDesigner, [sellerOfBuyer])).toBeUndefined();
  });

  it('average to two decimals, and are absent before the first review or after the last is removed', () => {
    expect(ratingOf({ ratingCount: 3, ratingSum: 13 })).toEqual({ average: 4.33, count: 3 });
    expect(ratingOf({})).toBeUndefined();
    expect(ratingOf({ ratingCount: 0, ratingSum: 0 })).toBeUndefined();
  });
});
