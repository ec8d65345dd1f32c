import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { lampContent } from '../support/fixtures.ts';
import { checkout, publishListing } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let ada: string;
let eve: string;
let sara: string;
let ben: string;
let sellerToo: string;

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant a route lacks fails here.
  api = await TestApi.start({ isolate: true });
  [ada, eve, sara, ben, sellerToo] = await Promise.all([
    api.token('su-ada', 'admin'),
    api.token('su-eve', 'admin'),
    api.token('su-sara', 'seller'),
    api.token('su-ben', 'buyer'),
    api.token('su-sid', 'seller'),
  ]);
  await Promise.all([sara, sellerToo].map((seller) => onboardSeller(api, seller)));
});
afterAll(() => api.stop());

const suspension = (userId: string) => `/admin/users/${userId}/suspension`;

/** The ids of what a search for the word finds. */
const found = async (word: string) =>
  ((await api.call('GET', `/search?q=${word}`)).body.items as { id: string }[]).map((item) => item.id);

describe('suspending a seller', () => {
  it('takes their listings off the marketplace and refuses checkouts of them, until they are reinstated', async () => {
    const lamp = await publishListing(api, sara, { title: 'Zircon lamp' });
    await eventually(async () => expect(await found('zircon')).toEqual([lamp.id]));

    const suspended = await api.call('PUT', suspension('su-sara'), {
      token: ada,
      body: { reason: 'Counterfeits' },
    });
    expect(suspended.status).toBe(201);
    expect(suspended.body).toMatchObject({ userId: 'su-sara', reason: 'Counterfeits', by: 'su-ada' });
    const again = await api.call('PUT', suspension('su-sara'), { token: eve, body: { reason: 'Twice' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(suspended.body);

    await eventually(async () => {
      expect((await api.call('GET', `/listings/${lamp.id}`)).status).toBe(404);
      expect(await found('zircon')).toEqual([]);
    });
    const own = await api.call('GET', '/sellers/me/listings', { token: sara });
    expect(own.body.items[0]).toMatchObject({ id: lamp.id, status: 'published', sellerSuspended: true });

    const refused = await checkout(api, ben, [{ listingId: lamp.id, quantity: 1 }]);
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([{ field: 'body.lines.0', message: 'the listing is not on sale' }]);

    const draft = await api.call('POST', '/listings', { token: sara, body: lampContent });
    const publish = await api.call('POST', `/listings/${draft.body.id}/publish`, { token: sara });
    expect(publish.status).toBe(403);
    expect(publish.body.code).toBe('user_suspended');

    const reinstated = await api.call('DELETE', suspension('su-sara'), {
      token: eve,
      body: { reason: 'Invoices checked' },
    });
    expect(reinstated.status).toBe(200);
    expect(reinstated.body.reinstated).toMatchObject({ by: 'su-eve', reason: 'Invoices checked' });
    await eventually(async () => expect(await found('zircon')).toEqual([lamp.id]));
    expect((await checkout(api, ben, [{ listingId: lamp.id, quantity: 1 }])).status).toBe(201);

    const log = await api.call('GET', '/admin/audit?target=user:su-sara', { token: ada });
    expect(log.status).toBe(200);
    expect(log.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual([
      'payout-hold.placed',
      'payout-hold.released',
      'user.reinstated',
      'user.suspended',
    ]);
  }, 60_000);
});

describe('a suspended buyer', () => {
  it('cannot check out', async () => {
    const lamp = await publishListing(api, sellerToo);
    const bea = await api.token('su-bea', 'buyer');
    await api.call('PUT', suspension('su-bea'), { token: ada, body: { reason: 'Stolen cards' } });
    const refused = await checkout(api, bea, [{ listingId: lamp.id, quantity: 1 }]);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('user_suspended');
    expect((await api.call('GET', `/listings/${lamp.id}`)).body.stock).toBe(lamp.stock);
  }, 60_000);
});

describe('suspensions are for admins only', () => {
  it('refuses other roles, self-suspension and bad input, with problem+json and no change', async () => {
    for (const token of [sara, ben, await api.token('su-fin', 'finance')]) {
      const answer = await api.call('PUT', suspension('su-sid'), { token, body: { reason: 'Mine' } });
      expect(answer.status).toBe(403);
      expect((await api.call('GET', '/admin/audit', { token })).status).toBe(403);
    }
    const self = await api.call('PUT', suspension('su-ada'), { token: ada, body: { reason: 'Oops' } });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('self_suspension');

    const bad = await Promise.all([
      api.call('PUT', suspension('su-sid'), { token: ada, body: { reason: ' ' } }),
      api.call('PUT', suspension('su-sid'), { token: ada, body: { reason: 'ok', by: 'su-eve' } }),
      api.call('PUT', suspension('not a user'), { token: ada, body: { reason: 'ok' } }),
      api.call('DELETE', suspension('su-sid'), { token: ada }),
      api.call('GET', '/admin/audit?target=payment:1', { token: ada }),
    ]);
    for (const answer of bad) {
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await api.call('GET', suspension('su-sid'), { token: ada })).status).toBe(404);
    const notSuspended = await api.call('DELETE', suspension('su-sid'), {
      token: ada,
      body: { reason: 'ok' },
    });
    expect(notSuspended.status).toBe(404);
    expect(notSuspended.body.code).toBe('suspension_not_found');
    const onSid = await api.call('GET', '/admin/audit?target=user:su-sid', { token: ada });
    expect(onSid.body.items).toEqual([]);
  }, 60_000);
});
