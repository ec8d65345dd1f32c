import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { act, orderWithStatus, placeOrder, publishListing } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

/** Long enough for a test to write an order's reviews, short enough to see windows close. */
const windowSeconds = 20;

let api: TestApi;
let ada: string;
let sara: string;
let ben: string;
let bea: string;
let dora: string;
let max: string;
let otto: string;

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant a route lacks fails here.
  api = await TestApi.start({
    isolate: true,
    operatorSettings: { REVIEW_WINDOW_SECONDS: String(windowSeconds) },
  });
  [ada, sara, ben, bea, dora, max, otto] = await Promise.all([
    api.token('rv-ada', 'admin'),
    api.token('rv-sara', 'seller'),
    api.token('rv-ben', 'buyer'),
    api.token('rv-bea', 'buyer'),
    api.token('rv-dora', 'seller'),
    api.token('rv-max', 'seller'),
    api.token('rv-otto', 'seller'),
  ]);
  await Promise.all([sara, otto].map((seller) => onboardSeller(api, seller)));
});
afterAll(() => api.stop());

const review = (token: string, orderId: string, body: unknown) =>
  api.call('POST', `/orders/${orderId}/reviews`, { token, body });
const orderReviews = (token: string, orderId: string) =>
  api.call('GET', `/orders/${orderId}/reviews`, { token });
const listingReviews = async (listingId: string) =>
  (await api.call('GET', `/listings/${listingId}/reviews`)).body as {
    items: { id: string; rating: number }[];
  };
const userReviews = async (userId: string) =>
  (await api.call('GET', `/users/${userId}/reviews`)).body as {
    items: { id: string; rating: number; response?: { text: string } }[];
    rating?: { average: number; count: number };
  };

/** Waits until the completed order's review window is open, and returns its reviews as `token` sees them. */
const windowOpen = (token: string, orderId: string) =>
  eventually(async () => {
    const reviews = await orderReviews(token, orderId);
    expect(reviews.body.window?.status).toBe('open');
    return reviews.body;
  });

/** A purchase of sara's lamp by `buyer`, taken through to completion: its review window opens. */
async function completedPurchase(buyer: string, listingId: string) {
  const orderId = await placeOrder(api, buyer, listingId);
  expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
  expect((await act(api, sara, orderId, 'ship', { trackingNumber: 'RV-1' })).status).toBe(200);
  expect((await act(api, buyer, orderId, 'confirm-receipt')).status).toBe(200);
  await orderWithStatus(api, buyer, orderId, 'completed');
  await windowOpen(buyer, orderId);
  return orderId;
}

const searchIds = async (parameters: string) =>
  ((await api.call('GET', `/search?${parameters}`)).body.items as { id: string }[]).map(({ id }) => id);

describe('reviews of a purchase', () => {
  it('stay hidden until both sides reviewed, then rate the seller, the listing and the buyer', async () => {
    const lamp = await publishListing(api, sara, { title: 'Reviewed lamp', category: 'home/rated-lamps' });
    const orderId = await placeOrder(api, ben, lamp.id);
    // Before completion the order takes no review.
    const early = await review(ben, orderId, { subject: 'seller', rating: 5 });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('review_window_not_open');
    expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
    expect((await act(api, sara, orderId, 'ship', { trackingNumber: 'RV-0' })).status).toBe(200);
    expect((await act(api, ben, orderId, 'confirm-receipt')).status).toBe(200);
    await orderWithStatus(api, ben, orderId, 'completed');
    const opened = await windowOpen(ben, orderId);
    expect(opened.toWrite).toEqual([{ as: 'buyer', subject: 'seller' }]);

    const bens = await review(ben, orderId, { subject: 'seller', rating: 4, text: 'Bright, well packed.' });
    expect(bens.status, JSON.stringify(bens.body)).toBe(201);
    expect(bens.body).toMatchObject({ id: `${orderId}.buyer.seller`, status: 'hidden', rating: 4 });
    // Double-blind: the seller does not see the buyer's review before writing theirs.
    const sarasView = await orderReviews(sara, orderId);
    expect(sarasView.body.reviews).toEqual([]);
    expect(sarasView.body.toWrite).toEqual([{ as: 'seller', subject: 'buyer' }]);
    expect((await listingReviews(lamp.id)).items).toEqual([]);

    const saras = await review(sara, orderId, { subject: 'buyer', rating: 5 });
    expect(saras.status).toBe(201);
    expect(saras.body.status).toBe('published');
    const twice = await review(ben, orderId, { subject: 'seller', rating: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('review_exists');
    expect(
      (await orderReviews(ben, orderId)).body.reviews.map((one: { status: string }) => one.status),
    ).toEqual(['published', 'published']);
    expect((await listingReviews(lamp.id)).items).toMatchObject([{ id: bens.body.id, rating: 4 }]);
    expect(await userReviews('rv-sara')).toMatchObject({ rating: { average: 4, count: 1 } });
    expect(await userReviews('rv-ben')).toMatchObject({
      rating: { average: 5, count: 1 },
      items: [{ id: saras.body.id }],
    });
    const shown = await eventually(async () => {
      const listing = await api.call('GET', `/listings/${lamp.id}`);
      expect(listing.body.rating).toEqual({ average: 4, count: 1 });
      return listing.body;
    });
    expect(JSON.stringify(shown)).not.toContain('ratingSum');

    // Search filters and sorts by the rating the review gave, once the stream has indexed it.
    const unrated = await publishListing(api, sara, {
      title: 'Unreviewed lamp',
      category: 'home/rated-lamps',
    });
    await eventually(async () => {
      expect(await searchIds('category=home%2Frated-lamps&min_rating=4')).toContain(lamp.id);
      expect(await searchIds('category=home%2Frated-lamps&min_rating=4.5')).not.toContain(lamp.id);
      const byRating = await searchIds('category=home%2Frated-lamps&sort=rating');
      expect(byRating.indexOf(lamp.id)).toBeLessThan(byRating.indexOf(unrated.id));
      expect(byRating.indexOf(unrated.id)).toBeGreaterThan(-1);
    });

    // The seller answers once, in public; nobody else may.
    const response = (token: string, text: string) =>
      api.call('POST', `/reviews/${bens.body.id}/response`, { token, body: { text } });
    expect((await response(ben, 'Not mine to answer')).status).toBe(403);
    expect((await response(otto, 'Competitor')).status).toBe(403);
    const answered = await response(sara, 'Thank you, Ben!');
    expect(answered.status).toBe(201);
    expect(answered.body.response.text).toBe('Thank you, Ben!');
    const again = await response(sara, 'Second thoughts');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('response_exists');
    expect((await userReviews('rv-sara')).items[0]?.response?.text).toBe('Thank you, Ben!');
  }, 90_000);

  it('are published by the window closing when the other side never reviews, and removed after a report', async () => {
    const lamp = await publishListing(api, sara, { title: 'Quiet lamp' });
    const orderId = await completedPurchase(bea, lamp.id);
    expect((await review(bea, orderId, { subject: 'seller', rating: 2 })).status).toBe(201);
    const closed = await eventually(
      async () => {
        const reviews = await orderReviews(bea, orderId);
        expect(reviews.body.window.status).toBe('closed');
        return reviews.body;
      },
      (windowSeconds + 10) * 1000,
    );
    expect(closed.reviews).toMatchObject([{ status: 'published', rating: 2 }]);
    expect(closed.toWrite).toEqual([]);
    expect((await listingReviews(lamp.id)).items).toMatchObject([{ rating: 2 }]);
    const late = await review(sara, orderId, { subject: 'buyer', rating: 5 });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('review_window_not_open');

    // The seller reports the review; an admin removes it: off every list, out of the ratings.
    const reviewId = `${orderId}.buyer.seller`;
    expect(await userReviews('rv-sara')).toMatchObject({ rating: { average: 3, count: 2 } });
    const filed = await api.call('POST', '/reports', {
      token: sara,
      body: { target: { kind: 'review', id: reviewId }, reason: 'harassment', text: 'Not about the lamp' },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const unknown = await api.call('POST', '/reports', {
      token: sara,
      body: { target: { kind: 'review', id: `${orderId}.seller.buyer` }, reason: 'spam' },
    });
    expect(unknown.status).toBe(404);
    const removed = await api.call('POST', `/admin/reports/${filed.body.id}/resolution`, {
      token: ada,
      body: { outcome: 'content-removed', note: 'Abusive' },
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect((await listingReviews(lamp.id)).items).toEqual([]);
    expect(await userReviews('rv-sara')).toMatchObject({ rating: { average: 4, count: 1 } });
    expect((await orderReviews(bea, orderId)).body.reviews).toMatchObject([
      { id: reviewId, status: 'removed' },
    ]);
    expect((await orderReviews(sara, orderId)).body.reviews).toEqual([]);
    const audit = await api.call('GET', `/admin/audit?target=review:${reviewId}`, { token: ada });
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(['review.removed']);
    const answer = await api.call('POST', `/reviews/${reviewId}/response`, {
      token: sara,
      body: { text: 'Hm' },
    });
    expect(answer.status).toBe(404);
  }, 90_000);

  it('refuses strangers, bad input and suspended users, changing nothing', async () => {
    const lamp = await publishListing(api, sara, { title: 'Guarded lamp' });
    const orderId = await completedPurchase(ben, lamp.id);
    // A suspended buyer reviews nothing until reinstated.
    expect(
      (
        await api.call('PUT', '/admin/users/rv-ben/suspension', {
          token: ada,
          body: { reason: 'Fraud ring' },
        })
      ).status,
    ).toBe(201);
    const suspended = await review(ben, orderId, { subject: 'seller', rating: 1 });
    expect(suspended.status).toBe(403);
    expect(suspended.body.code).toBe('user_suspended');
    expect((await orderReviews(ben, orderId)).body.reviews).toEqual([]);
    expect(
      (
        await api.call('DELETE', '/admin/users/rv-ben/suspension', {
          token: ada,
          body: { reason: 'Cleared' },
        })
      ).status,
    ).toBe(200);
    // Another buyer and another seller: to them the order does not exist.
    for (const stranger of [bea, otto]) {
      expect((await review(stranger, orderId, { subject: 'seller', rating: 1 })).status).toBe(404);
      expect((await orderReviews(stranger, orderId)).status).toBe(404);
    }
    const problems: [unknown, number, string][] = [
      [{ subject: 'seller', rating: 6 }, 400, 'body.rating'],
      [{ subject: 'seller', rating: 3.5 }, 400, 'body.rating'],
      [{ subject: 'seller' }, 400, 'body.rating'],
      [{ subject: 'seller', rating: 3, extra: true }, 400, 'body'],
      [{ subject: 'seller', rating: 3, text: '' }, 400, 'body.text'],
      [{ subject: 'admin', rating: 3 }, 422, 'body.subject'],
      [{ subject: 'buyer', rating: 3 }, 422, 'body.subject'],
      [{ subject: 'seller', rating: 3, as: 'seller' }, 422, 'body.as'],
    ];
    for (const [body, status, field] of problems) {
      const refused = await review(ben, orderId, body);
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    expect(
      (await api.call('POST', `/reviews/not-a-review/response`, { token: sara, body: { text: 'x' } })).status,
    ).toBe(400);
    expect((await api.call('GET', '/users/rv-sara/reviews?cursor=bogus')).status).toBe(400);
    // Admins read an order's reviews; they write none.
    expect((await orderReviews(ada, orderId)).status).toBe(200);
    expect((await review(ada, orderId, { subject: 'seller', rating: 1 })).status).toBe(403);
  }, 90_000);
});

describe('reviews of a custom order', () => {
  it('rate the designer and the manufacturer separately, each paired with their review of the buyer', async () => {
    const insole = await publishListing(api, otto, {
      title: 'Reviewed insole',
      process: 'custom-manufacturing',
      providers: [
        { party: 'designer', userId: 'rv-dora', shareBps: 3000 },
        { party: 'manufacturer', userId: 'rv-max', shareBps: 5000 },
      ],
    });
    const orderId = await placeOrder(api, bea, insole.id, { scanFileUrl: 'https://scans.example/bea.stl' });
    const design = { designFileUrl: 'https://designs.example/bea.step' };
    expect((await act(api, dora, orderId, 'submit-design', design)).status).toBe(200);
    expect((await act(api, bea, orderId, 'approve')).status).toBe(200);
    expect((await act(api, max, orderId, 'ship', { trackingNumber: 'RV-CM' })).status).toBe(200);
    expect((await act(api, bea, orderId, 'confirm-receipt')).status).toBe(200);
    await orderWithStatus(api, bea, orderId, 'completed');
    const opened = await windowOpen(bea, orderId);
    expect(opened.toWrite).toEqual([
      { as: 'buyer', subject: 'seller' },
      { as: 'buyer', subject: 'designer' },
      { as: 'buyer', subject: 'manufacturer' },
    ]);
    expect((await orderReviews(dora, orderId)).body.toWrite).toEqual([{ as: 'designer', subject: 'buyer' }]);

    expect((await review(bea, orderId, { subject: 'designer', rating: 5 })).status).toBe(201);
    expect((await review(bea, orderId, { subject: 'manufacturer', rating: 2 })).status).toBe(201);
    const doras = await review(dora, orderId, { subject: 'buyer', rating: 4 });
    expect(doras.body.status).toBe('published');
    // The designer's pair is published; the manufacturer's waits for the window.
    expect(await userReviews('rv-dora')).toMatchObject({ rating: { average: 5, count: 1 } });
    expect((await userReviews('rv-max')).items).toEqual([]);
    // Rating a provider rates them, not the listing.
    expect((await listingReviews(insole.id)).items).toEqual([]);

    await eventually(
      async () => {
        expect(await userReviews('rv-max')).toMatchObject({ rating: { average: 2, count: 1 } });
      },
      (windowSeconds + 10) * 1000,
    );
    expect(await userReviews('rv-bea')).toMatchObject({ rating: { average: 4, count: 1 } });
  }, 90_000);
});
