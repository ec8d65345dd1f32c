import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { lampContent } from '../support/fixtures.ts';
import { placeOrder } from '../support/orders.ts';
import { providersAreSellers } from '../support/providers.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let sara: string;
let dora: string;
let max: string;
let mallory: string;
let ben: string;

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant a route lacks fails here.
  api = await TestApi.start({ isolate: true });
  [sara, dora, max, mallory, ben] = await Promise.all([
    api.token('pc-sara', 'seller'),
    api.token('pc-dora', 'seller'),
    api.token('pc-max', 'seller'),
    api.token('pc-mallory', 'seller'),
    api.token('pc-ben', 'buyer'),
  ]);
  await onboardSeller(api, sara);
  await providersAreSellers(api, [{ userId: 'pc-dora' }, { userId: 'pc-max' }, { userId: 'pc-mallory' }]);
});
afterAll(() => api.stop());

const insole = (manufacturer = 'pc-max') => ({
  ...lampContent,
  title: 'Custom insole',
  process: 'custom-manufacturing',
  providers: [
    { party: 'designer', userId: 'pc-dora', shareBps: 3000 },
    { party: 'manufacturer', userId: manufacturer, shareBps: 5000 },
  ],
});

const decide = (token: string, listingId: string, party: string, decision: 'accept' | 'decline') =>
  api.call('POST', `/sellers/me/invitations/${listingId}/${party}/${decision}`, { token });

describe('provider consent', () => {
  it('blocks publishing until every provider accepts, and shows providers without their shares', async () => {
    const created = await api.call('POST', '/listings', { token: sara, body: insole() });
    expect(created.status).toBe(201);
    const listingId: string = created.body.id;
    expect(created.body.providers).toEqual([
      { party: 'designer', userId: 'pc-dora', shareBps: 3000, consent: 'pending' },
      { party: 'manufacturer', userId: 'pc-max', shareBps: 5000, consent: 'pending' },
    ]);

    const early = await api.call('POST', `/listings/${listingId}/publish`, { token: sara });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toBe('application/problem+json');
    expect(early.body.code).toBe('provider_consent_required');

    const invited = await api.call('GET', '/sellers/me/invitations', { token: dora });
    expect(invited.status).toBe(200);
    expect(invited.body.items).toEqual([
      expect.objectContaining({
        listingId,
        party: 'designer',
        sellerId: 'pc-sara',
        shareBps: 3000,
        consent: 'pending',
      }),
    ]);

    // Another seller cannot decide for Dora, nor can the seller who named her.
    for (const token of [mallory, sara]) {
      const stolen = await decide(token, listingId, 'designer', 'accept');
      expect(stolen.status).toBe(404);
      expect(stolen.body.code).toBe('invitation_not_found');
    }
    const stillPending = await api.call('GET', '/sellers/me/listings', { token: sara });
    expect(stillPending.body.items[0].providers[0].consent).toBe('pending');

    expect((await decide(dora, listingId, 'designer', 'accept')).body.consent).toBe('accepted');
    expect((await decide(max, listingId, 'manufacturer', 'accept')).status).toBe(200);
    const published = await api.call('POST', `/listings/${listingId}/publish`, { token: sara });
    expect(published.status).toBe(200);

    const shown = await api.call('GET', `/listings/${listingId}`);
    expect(shown.body.providers).toEqual([
      { party: 'designer', sellerId: 'pc-dora' },
      { party: 'manufacturer', sellerId: 'pc-max' },
    ]);
    expect(JSON.stringify(shown.body)).not.toContain('shareBps');
  });

  it('unpublishes the listing when a provider withdraws; orders already placed keep them', async () => {
    const created = await api.call('POST', '/listings', { token: sara, body: insole() });
    const listingId: string = created.body.id;
    await decide(dora, listingId, 'designer', 'accept');
    await decide(max, listingId, 'manufacturer', 'accept');
    expect((await api.call('POST', `/listings/${listingId}/publish`, { token: sara })).status).toBe(200);
    const orderId = await placeOrder(api, ben, listingId, { scanFileUrl: 'https://scans.example/left.stl' });

    const withdrawn = await decide(dora, listingId, 'designer', 'decline');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ consent: 'declined', decidedAt: expect.any(String) });
    expect((await api.call('GET', `/listings/${listingId}`)).status).toBe(404);
    const republish = await api.call('POST', `/listings/${listingId}/publish`, { token: sara });
    expect(republish.body.code).toBe('provider_consent_required');

    const order = await api.call('GET', `/orders/${orderId}`, { token: dora });
    expect(order.status).toBe(200);
    expect(order.body.parties).toMatchObject({ designer: 'pc-dora' });
  });

  it('refuses a provider without a seller profile, and bad input, with problem+json and no change', async () => {
    const stranger = await api.call('POST', '/listings', { token: sara, body: insole('pc-stranger') });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors).toEqual([
      { field: 'body.providers.1.userId', message: 'has no seller profile' },
    ]);
    expect(
      (await api.call('GET', '/sellers/me/invitations', { token: await api.token('pc-stranger', 'seller') }))
        .body.items,
    ).toEqual([]);

    const before = (await api.call('GET', '/sellers/me/invitations', { token: dora })).body.items;
    const badParty = await api.call(
      'POST',
      `/sellers/me/invitations/${before[0].listingId}/Designer!/accept`,
      {
        token: dora,
      },
    );
    expect(badParty.status).toBe(400);
    expect(badParty.body.errors.map((error: { field: string }) => error.field)).toEqual(['params.party']);
    const badCursor = await api.call('GET', '/sellers/me/invitations?cursor=bm9wZQ', { token: dora });
    expect(badCursor.status).toBe(400);
    expect((await api.call('GET', '/sellers/me/invitations', { token: dora })).body.items).toEqual(before);

    expect((await api.call('GET', '/sellers/me/invitations', { token: ben })).status).toBe(403);
  });

  it('refuses to change the providers of a published listing', async () => {
    const created = await api.call('POST', '/listings', { token: sara, body: insole() });
    const listingId: string = created.body.id;
    await decide(dora, listingId, 'designer', 'accept');
    await decide(max, listingId, 'manufacturer', 'accept');
    const published = await api.call('POST', `/listings/${listingId}/publish`, { token: sara });
    const change = await api.call('PATCH', `/listings/${listingId}`, {
      token: sara,
      headers: { 'if-match': `"${published.body.version}"` },
      body: { process: 'custom-manufacturing', providers: insole('pc-mallory').providers },
    });
    expect(change.status).toBe(409);
    expect(change.body.code).toBe('listing_published');
    const malloryInvitations = await api.call('GET', '/sellers/me/invitations', { token: mallory });
    expect(malloryInvitations.body.items).toEqual([]);
  });
});
