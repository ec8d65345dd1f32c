import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let alice: string;
let mallory: string;
let buyer: string;

beforeAll(async () => {
  api = await TestApi.start();
  [alice, mallory, buyer] = await Promise.all([
    api.token('alice', 'seller'),
    api.token('mallory', 'seller'),
    api.token('bob', 'buyer'),
  ]);
  expect((await api.call('PUT', '/sellers/me', { token: alice, body: aliceProfile })).status).toBe(201);
  await onboardSeller(api, alice);
});
afterAll(() => api.stop());

async function createDraft(token = alice) {
  const response = await api.call('POST', '/listings', { token, body: lampContent });
  expect(response.status).toBe(201);
  return response.body as { id: string; version: number };
}

describe('a seller publishes a listing that anyone can read', () => {
  it('goes from draft to published to unpublished', async () => {
    const created = await api.call('POST', '/listings', { token: alice, body: lampContent });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/listings/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ ...lampContent, sellerId: 'alice', status: 'draft', version: 1 });

    const path = `/listings/${created.body.id}`;
    expect((await api.call('GET', path)).status).toBe(404);

    const published = await api.call('POST', `${path}/publish`, {
      token: alice,
      headers: { 'if-match': '"1"' },
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', version: 2 });

    const read = await api.call('GET', path);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');
    expect(read.body).toEqual({ ...published.body, providers: [] });

    expect((await api.call('POST', `${path}/unpublish`, { token: alice })).status).toBe(200);
    expect((await api.call('GET', path)).status).toBe(404);
  });

  it('refuses to publish before the seller has a profile', async () => {
    const newcomer = await api.token('newcomer', 'seller');
    const draft = await createDraft(newcomer);
    const response = await api.call('POST', `/listings/${draft.id}/publish`, { token: newcomer });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('seller_profile_required');
  });

  it('serves the public seller profile without private fields', async () => {
    const response = await api.call('GET', '/sellers/alice');
    expect(response.body).toEqual({
      sellerId: 'alice',
      displayName: aliceProfile.displayName,
      country: 'FR',
    });
  });
});

describe('updates use optimistic concurrency', () => {
  it('applies a change with the current ETag and returns the next one', async () => {
    const draft = await createDraft();
    const response = await api.call('PATCH', `/listings/${draft.id}`, {
      token: alice,
      headers: { 'if-match': '"1"' },
      body: { price: { amount: 5500, currency: 'EUR' }, stock: 9 },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(response.body).toMatchObject({
      price: { amount: 5500, currency: 'EUR' },
      stock: 9,
      title: lampContent.title,
    });
  });

  it('answers a stale ETag with 412 and a missing one with 428, changing nothing', async () => {
    const draft = await createDraft();
    const path = `/listings/${draft.id}`;
    await api.call('PATCH', path, { token: alice, headers: { 'if-match': '"1"' }, body: { stock: 1 } });

    const stale = await api.call('PATCH', path, {
      token: alice,
      headers: { 'if-match': '"1"' },
      body: { stock: 99 },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const missing = await api.call('PATCH', path, { token: alice, body: { stock: 99 } });
    expect(missing.status).toBe(428);
    const weak = await api.call('PATCH', path, {
      token: alice,
      headers: { 'if-match': 'W/"2"' },
      body: { stock: 99 },
    });
    expect(weak.status).toBe(412);

    const mine = await api.call('GET', '/sellers/me/listings?limit=100', { token: alice });
    expect(mine.body.items.find((listing: { id: string }) => listing.id === draft.id)).toMatchObject({
      stock: 1,
      version: 2,
    });
  });

  it('lets only the owner change a listing, and hides other sellers’ drafts', async () => {
    const draft = await createDraft();
    const path = `/listings/${draft.id}`;
    const change = { token: mallory, headers: { 'if-match': '"1"' }, body: { stock: 0 } };
    const patchDraft = await api.call('PATCH', path, change);
    expect(patchDraft.status).toBe(404);
    expect((await api.call('POST', `${path}/publish`, { token: mallory })).status).toBe(404);

    await api.call('POST', `${path}/publish`, { token: alice });
    const patchPublished = await api.call('PATCH', path, { ...change, headers: { 'if-match': '"2"' } });
    expect(patchPublished.status).toBe(403);
    expect(patchPublished.body.code).toBe('not_listing_owner');
    expect((await api.call('POST', `${path}/unpublish`, { token: mallory })).status).toBe(403);
    expect((await api.call('POST', '/listings', { token: buyer, body: lampContent })).status).toBe(403);
  });

  it('answers 404 for a listing that does not exist', async () => {
    const response = await api.call('PATCH', '/listings/00000000-0000-4000-8000-000000000000', {
      token: alice,
      headers: { 'if-match': '"1"' },
      body: { stock: 1 },
    });
    expect(response.status).toBe(404);
  });
});

describe('a seller lists their own listings', () => {
  it('pages with an opaque cursor and sees drafts, but never another seller’s listings', async () => {
    const lister = await api.token('lister', 'seller');
    const ids = [];
    for (let index = 0; index < 5; index += 1) ids.push((await createDraft(lister)).id);
    await createDraft(mallory);

    const first = await api.call('GET', '/sellers/me/listings?limit=2', { token: lister });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const seen = [...first.body.items];
    let cursor: string | undefined = first.body.nextCursor;
    while (cursor) {
      const page = await api.call('GET', `/sellers/me/listings?limit=2&cursor=${cursor}`, { token: lister });
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(seen.map((listing) => listing.id).sort()).toEqual(ids.sort());
    expect(seen.every((listing) => listing.sellerId === 'lister')).toBe(true);
  });
});
