import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '#shared/domain/errors.ts';
import type { ListingContent } from '#shared/domain/listing.ts';
import { noModeration } from '#shared/domain/moderation.ts';
import { listingKey } from '#shared/store/entities/listing.ts';
import { reviewRequestKey } from '#shared/store/entities/moderation.ts';
import { invitationKey } from '#shared/store/entities/provider-invitation.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { ModerationStore } from '#shared/store/moderation-store.ts';
import { ProviderInvitationStore } from '#shared/store/provider-invitation-store.ts';
import { SellerStore } from '#shared/store/seller-store.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { storeSellerReadyToPublish } from '../support/sellers.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let listings: ListingStore;
let invitations: ProviderInvitationStore;
let sellers: SellerStore;

beforeAll(async () => {
  table = await freshTable();
  listings = new ListingStore(table.client, table.tableName);
  invitations = new ProviderInvitationStore(table.client, table.tableName);
  sellers = new SellerStore(table.client, table.tableName);
  await storeSellerReadyToPublish(table.client, table.tableName, 'seller');
  await Promise.all(['dora', 'max', 'mia'].map((userId) => sellers.create(userId, aliceProfile)));
});

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: DomainError) => ({ kind: error.kind, code: error.code, details: error.details }),
  );

const insole = (designer = 'dora', manufacturer = 'max', designerShare = 3000): ListingContent => ({
  ...lampContent,
  process: 'custom-manufacturing',
  providers: [
    { party: 'designer', userId: designer, shareBps: designerShare },
    { party: 'manufacturer', userId: manufacturer, shareBps: 5000 },
  ],
});

const stored = async (key: Record<string, string>) =>
  (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;

describe('naming providers', () => {
  it('invites each provider, who must be a seller, and keeps the listing unpublishable until all accept', async () => {
    const listing = await listings.create('seller', insole());
    expect(listing.providers.map((provider) => provider.consent)).toEqual(['pending', 'pending']);
    expect(await stored(listingKey(listing.id))).toMatchObject({
      awaitingConsent: new Set(['designer', 'manufacturer']),
    });
    expect((await invitations.listFor('dora', 10)).items).toEqual([
      {
        listingId: listing.id,
        party: 'designer',
        userId: 'dora',
        sellerId: 'seller',
        shareBps: 3000,
        listing: { title: lampContent.title, category: lampContent.category, price: lampContent.price },
        consent: 'pending',
        invitedAt: listing.createdAt,
      },
    ]);

    expect(await rejection(listings.transition(listing.id, 'seller', 'publish'))).toMatchObject({
      kind: 'conflict',
      code: 'provider_consent_required',
    });
    await invitations.decide(listing.id, 'designer', 'dora', 'accept');
    expect(await rejection(listings.transition(listing.id, 'seller', 'publish'))).toMatchObject({
      code: 'provider_consent_required',
    });
    const accepted = await invitations.decide(listing.id, 'manufacturer', 'max', 'accept');
    expect(accepted).toMatchObject({ consent: 'accepted', decidedAt: expect.any(String) });
    expect(await stored(listingKey(listing.id))).not.toHaveProperty('awaitingConsent');

    const published = await listings.transition(listing.id, 'seller', 'publish');
    expect(published).toMatchObject({ status: 'published', version: 4 });
    expect(published.providers.map((provider) => provider.consent)).toEqual(['accepted', 'accepted']);
  });

  it('refuses to name users without a seller profile, naming them, and writes nothing', async () => {
    const before = (await invitations.listFor('dora', 100)).items.length;
    expect(await rejection(listings.create('seller', insole('dora', 'stranger')))).toEqual({
      kind: 'unprocessable',
      code: 'provider_not_a_seller',
      details: [{ path: ['providers', 1, 'userId'], message: 'has no seller profile' }],
    });
    expect((await invitations.listFor('dora', 100)).items).toHaveLength(before);
  });

  it('needs no consent from sellers who name themselves', async () => {
    const listing = await listings.create('seller', insole('seller', 'mia'));
    expect(listing.providers.map((provider) => provider.consent)).toEqual(['accepted', 'pending']);
    expect(await stored(invitationKey(listing.id, 'designer'))).toBeUndefined();
    await invitations.decide(listing.id, 'manufacturer', 'mia', 'accept');
    expect((await listings.transition(listing.id, 'seller', 'publish')).status).toBe('published');
  });

  it('keeps an acceptance for the same share, and asks again for another share or provider', async () => {
    const listing = await listings.create('seller', insole());
    await invitations.decide(listing.id, 'designer', 'dora', 'accept');
    await invitations.decide(listing.id, 'manufacturer', 'max', 'accept');

    const sameAgain = await listings.update(listing.id, 'seller', 3, { providers: insole().providers });
    expect(sameAgain.providers.map((provider) => provider.consent)).toEqual(['accepted', 'accepted']);

    const reshared = await listings.update(listing.id, 'seller', 4, {
      providers: insole('dora', 'mia', 4000).providers,
    });
    expect(reshared.providers).toEqual([
      { party: 'designer', userId: 'dora', shareBps: 4000, consent: 'pending' },
      { party: 'manufacturer', userId: 'mia', shareBps: 5000, consent: 'pending' },
    ]);
    expect(await listings.get(listing.id)).toEqual(reshared);
    // Max's invitation was replaced by Mia's: he can no longer decide on it.
    expect(
      (await invitations.listFor('max', 100)).items.map((invitation) => invitation.listingId),
    ).not.toContain(listing.id);
    expect(await rejection(invitations.decide(listing.id, 'manufacturer', 'max', 'accept'))).toMatchObject({
      code: 'invitation_not_found',
    });
  });

  it('drops the invitations of parties a new process does not have', async () => {
    const listing = await listings.create('seller', insole());
    const plain = await listings.update(listing.id, 'seller', 1, {
      process: 'default-purchase',
      providers: [],
    });
    expect(plain.providers).toEqual([]);
    expect(await stored(invitationKey(listing.id, 'designer'))).toBeUndefined();
    expect(await stored(invitationKey(listing.id, 'manufacturer'))).toBeUndefined();
    expect(await stored(listingKey(listing.id))).not.toHaveProperty('awaitingConsent');
  });

  it('refuses to change the providers of a published listing', async () => {
    const listing = await listings.create('seller', insole('seller', 'mia'));
    await invitations.decide(listing.id, 'manufacturer', 'mia', 'accept');
    const published = await listings.transition(listing.id, 'seller', 'publish');
    const change = listings.update(listing.id, 'seller', published.version, {
      providers: insole().providers,
    });
    expect(await rejection(change)).toMatchObject({ kind: 'conflict', code: 'listing_published' });
    expect(await listings.get(listing.id)).toEqual(published);
  });
});

describe('deciding', () => {
  it('lets only the provider invited decide, as if the invitation did not exist for anyone else', async () => {
    const listing = await listings.create('seller', insole());
    for (const [party, userId] of [
      ['designer', 'max'],
      ['designer', 'seller'],
      ['stylist', 'dora'],
    ] as const) {
      expect(await rejection(invitations.decide(listing.id, party, userId, 'accept'))).toMatchObject({
        kind: 'not-found',
        code: 'invitation_not_found',
      });
    }
    expect((await listings.get(listing.id))?.providers[0]?.consent).toBe('pending');
  });

  it('withdraws by declining: a published listing is unpublished and can only return once they accept again', async () => {
    const listing = await listings.create('seller', insole());
    await invitations.decide(listing.id, 'designer', 'dora', 'accept');
    await invitations.decide(listing.id, 'manufacturer', 'max', 'accept');
    await listings.transition(listing.id, 'seller', 'publish');

    const declined = await invitations.decide(listing.id, 'designer', 'dora', 'decline');
    expect(declined.consent).toBe('declined');
    const withdrawn = await listings.get(listing.id);
    expect(withdrawn).toMatchObject({ status: 'unpublished', version: 5 });
    expect(withdrawn?.providers[0]?.consent).toBe('declined');
    expect(await rejection(listings.transition(listing.id, 'seller', 'publish'))).toMatchObject({
      code: 'provider_consent_required',
    });

    await invitations.decide(listing.id, 'designer', 'dora', 'accept');
    expect((await listings.transition(listing.id, 'seller', 'publish')).status).toBe('published');
  });

  it('takes a listing awaiting review out of the queue when a provider declines', async () => {
    const { client, tableName } = table;
    const moderation = new ModerationStore(client, tableName);
    await moderation.savePolicy({ ...noModeration, mode: 'all' }, 'ada');
    try {
      const listing = await listings.create('seller', insole());
      await invitations.decide(listing.id, 'designer', 'dora', 'accept');
      await invitations.decide(listing.id, 'manufacturer', 'max', 'accept');
      expect((await listings.transition(listing.id, 'seller', 'publish')).status).toBe('pending-review');
      expect(await stored(reviewRequestKey(listing.id))).toBeDefined();

      await invitations.decide(listing.id, 'manufacturer', 'max', 'decline');
      expect((await listings.get(listing.id))?.status).toBe('unpublished');
      expect(await stored(reviewRequestKey(listing.id))).toBeUndefined();
    } finally {
      await moderation.savePolicy(noModeration, 'ada');
    }
  });

  it('changes nothing when deciding as before', async () => {
    const listing = await listings.create('seller', insole());
    const first = await invitations.decide(listing.id, 'designer', 'dora', 'accept');
    const again = await invitations.decide(listing.id, 'designer', 'dora', 'accept');
    expect(again).toEqual(first);
    expect((await listings.get(listing.id))?.version).toBe(2);
  });

  it('applies both providers’ decisions when they decide at once', async () => {
    const listing = await listings.create('seller', insole());
    await Promise.all([
      invitations.decide(listing.id, 'designer', 'dora', 'accept'),
      invitations.decide(listing.id, 'manufacturer', 'max', 'accept'),
    ]);
    const both = await listings.get(listing.id);
    expect(both?.providers.map((provider) => provider.consent)).toEqual(['accepted', 'accepted']);
    expect(both?.version).toBe(3);
  });

  it('lists a provider’s invitations newest first, a page at a time', async () => {
    const created = [];
    for (let index = 0; index < 3; index++) {
      created.push(
        await listings.create('seller', insole('dora', 'max'), new Date(Date.UTC(2031, 0, index + 1))),
      );
    }
    const first = await invitations.listFor('max', 2);
    expect(first.items.map((invitation) => invitation.listingId)).toEqual([created[2]?.id, created[1]?.id]);
    const second = await invitations.listFor('max', 2, first.nextCursor);
    expect(second.items[0]?.listingId).toBe(created[0]?.id);
  });
});

it('reads listings stored before consent existed as accepted by their providers', async () => {
  const listing = await listings.create('seller', insole('seller', 'mia'));
  const item = await stored(listingKey(listing.id));
  const { schemaVersion: _version, awaitingConsent: _awaiting, ...older } = item ?? {};
  const providers = listing.providers.map(({ consent: _consent, ...share }) => share);
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...older, providers } }));
  expect((await listings.get(listing.id))?.providers.map((provider) => provider.consent)).toEqual([
    'accepted',
    'accepted',
  ]);
});
