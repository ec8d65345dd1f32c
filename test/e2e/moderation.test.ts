import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { lampContent } from '../support/fixtures.ts';
import { checkout } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let ada: string;
let sara: string;
let ben: string;

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant a route lacks fails here.
  api = await TestApi.start({ isolate: true });
  [ada, sara, ben] = await Promise.all([
    api.token('md-ada', 'admin'),
    api.token('md-sara', 'seller'),
    api.token('md-ben', 'buyer'),
  ]);
  await onboardSeller(api, sara);
});
afterAll(() => api.stop());

const setPolicy = async (policy: Record<string, unknown>) => {
  const saved = await api.call('PUT', '/admin/moderation/policy', { token: ada, body: policy });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return saved.body;
};
const submit = async (token: string, title: string) => {
  const created = await api.call('POST', '/listings', { token, body: { ...lampContent, title } });
  const published = await api.call('POST', `/listings/${created.body.id}/publish`, { token });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return published.body as { id: string; status: string; version: number };
};
/** The admin's decision on the listing at the version they reviewed. */
const decide = (listing: { id: string; version: number }, body: unknown, token = ada) =>
  api.call('POST', `/admin/moderation/listings/${listing.id}/decision`, {
    token,
    body,
    headers: { 'if-match': `"${listing.version}"` },
  });
const queued = async () =>
  (
    (await api.call('GET', '/admin/moderation/listings?limit=100', { token: ada })).body.items as {
      listing: { id: string };
    }[]
  ).map((item) => item.listing.id);
const found = async (word: string) =>
  ((await api.call('GET', `/search?q=${word}`)).body.items as { id: string }[]).map((item) => item.id);

describe('listing moderation', () => {
  it('sends listings to review under the policy; an approved one goes live, a rejected one back to draft', async () => {
    expect((await api.call('GET', '/admin/moderation/policy', { token: ada })).body).toMatchObject({
      mode: 'none',
      version: 0,
    });
    expect(await setPolicy({ mode: 'all' })).toMatchObject({ mode: 'all', version: 1, updatedBy: 'md-ada' });

    const quartz = await submit(sara, 'Quartz lamp');
    expect(quartz.status).toBe('pending-review');
    expect((await api.call('GET', `/listings/${quartz.id}`)).status).toBe(404);
    expect((await checkout(api, ben, [{ listingId: quartz.id, quantity: 1 }])).status).toBe(409);
    expect(await queued()).toContain(quartz.id);

    const unversioned = await api.call('POST', `/admin/moderation/listings/${quartz.id}/decision`, {
      token: ada,
      body: { verdict: 'approve' },
    });
    expect(unversioned.status).toBe(428);
    const approved = await decide(quartz, { verdict: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'published',
      moderation: { verdict: 'approve', by: 'md-ada' },
    });
    expect(await queued()).not.toContain(quartz.id);
    await eventually(async () => expect(await found('quartz')).toEqual([quartz.id]));
    expect((await api.call('GET', `/listings/${quartz.id}`)).body).not.toHaveProperty('moderation');

    const onyx = await submit(sara, 'Onyx lamp');
    expect((await decide(onyx, { verdict: 'reject' })).status).toBe(400);
    const rejected = await decide(onyx, { verdict: 'reject', reason: 'Show the lamp, not a stock photo' });
    expect(rejected.body).toMatchObject({
      status: 'draft',
      moderation: { verdict: 'reject', reason: 'Show the lamp, not a stock photo' },
    });
    const mine = await api.call('GET', '/sellers/me/listings', { token: sara });
    expect(mine.body.items.find((item: { id: string }) => item.id === onyx.id).moderation.reason).toBe(
      'Show the lamp, not a stock photo',
    );
    const twice = await decide({ id: onyx.id, version: rejected.body.version }, { verdict: 'approve' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('not_awaiting_review');

    const log = await api.call('GET', `/admin/audit?target=listing:${onyx.id}`, { token: ada });
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: 'listing.rejected',
        actor: 'md-ada',
        reason: 'Show the lamp, not a stock photo',
      }),
    ]);
  }, 60_000);

  it('sends a live listing back to review when its reviewed content changes, and only then', async () => {
    await setPolicy({ mode: 'categories', categories: ['home/lamps'], reviewChanges: true });
    const amber = await submit(sara, 'Amber lamp');
    await decide(amber, { verdict: 'approve' });
    const repriced = await api.call('PATCH', `/listings/${amber.id}`, {
      token: sara,
      headers: { 'if-match': '"3"' },
      body: { price: { amount: 5999, currency: 'EUR' } },
    });
    expect(repriced.body).toMatchObject({ status: 'published', version: 4 });
    const retitled = await api.call('PATCH', `/listings/${amber.id}`, {
      token: sara,
      headers: { 'if-match': '"4"' },
      body: { title: 'Amber lamp, now bigger' },
    });
    expect(retitled.body).toMatchObject({
      status: 'pending-review',
      version: 5,
      title: 'Amber lamp, now bigger',
    });
    expect(await queued()).toContain(amber.id);
    await eventually(async () => expect(await found('amber')).toEqual([]));
    // An admin who reviewed the listing before the seller's change decides nothing.
    const stale = await decide({ id: amber.id, version: 4 }, { verdict: 'approve' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_mismatch');

    // Unpublishing takes it out of the queue.
    expect((await api.call('POST', `/listings/${amber.id}/unpublish`, { token: sara })).body.status).toBe(
      'unpublished',
    );
    expect(await queued()).not.toContain(amber.id);
  }, 60_000);

  it("reviews a new seller's first listings only", async () => {
    await setPolicy({ mode: 'new-sellers', firstListings: 1 });
    const newcomer = await api.token('md-nina', 'seller');
    await onboardSeller(api, newcomer);
    const first = await submit(newcomer, 'First lamp');
    expect(first.status).toBe('pending-review');
    await decide(first, { verdict: 'approve' });
    expect((await submit(newcomer, 'Second lamp')).status).toBe('published');
  }, 60_000);

  it('is for admins only, and refuses bad policies and decisions with problem+json', async () => {
    const pending = await (async () => {
      await setPolicy({ mode: 'all' });
      return submit(sara, 'Jade lamp');
    })();
    for (const token of [sara, ben]) {
      expect((await api.call('GET', '/admin/moderation/listings', { token })).status).toBe(403);
      expect(
        (await api.call('PUT', '/admin/moderation/policy', { token, body: { mode: 'none' } })).status,
      ).toBe(403);
      expect((await decide(pending, { verdict: 'approve' }, token)).status).toBe(403);
    }
    const bad = await Promise.all([
      api.call('PUT', '/admin/moderation/policy', { token: ada, body: { mode: 'new-sellers' } }),
      api.call('PUT', '/admin/moderation/policy', {
        token: ada,
        body: { mode: 'categories', categories: [] },
      }),
      api.call('PUT', '/admin/moderation/policy', { token: ada, body: { mode: 'sometimes' } }),
      decide(pending, { verdict: 'maybe' }),
    ]);
    expect(bad.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
    expect(bad.map((answer) => answer.body.errors[0].field)).toEqual([
      'body.firstListings',
      'body.categories',
      'body.mode',
      'body.verdict',
    ]);
    expect((await api.call('GET', '/admin/moderation/policy', { token: ada })).body.mode).toBe('all');
    expect(await queued()).toContain(pending.id);
  }, 60_000);
});
