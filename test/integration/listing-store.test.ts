import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '#shared/domain/errors.ts';
import { listingKey } from '#shared/store/entities/listing.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { SellerStore } from '#shared/store/seller-store.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { enabledPaymentsAccount, storeSellerReadyToPublish } from '../support/sellers.ts';
import { freshTable } from '../support/table.ts';

let listings: ListingStore;
let table: Awaited<ReturnType<typeof freshTable>>;
let sellers: SellerStore;
let paymentsAccounts: PaymentsAccountStore;
let sellerReadyToPublish: (sellerId: string) => Promise<void>;

beforeAll(async () => {
  table = await freshTable();
  const { client, tableName } = table;
  listings = new ListingStore(client, tableName);
  sellers = new SellerStore(client, tableName);
  paymentsAccounts = new PaymentsAccountStore(client, tableName);
  sellerReadyToPublish = (sellerId) => storeSellerReadyToPublish(client, tableName, sellerId);
});

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: DomainError) => ({ kind: error.kind, code: error.code }),
  );

describe('ListingStore', () => {
  it('creates a draft at version 1 and reads it back', async () => {
    const created = await listings.create('seller-create', lampContent);
    expect(created).toMatchObject({ ...lampContent, sellerId: 'seller-create', status: 'draft', version: 1 });
    expect(await listings.get(created.id)).toEqual(created);
  });

  it('writes the schema version, and reads a listing stored before there was one', async () => {
    const created = await listings.create('seller-versions', lampContent);
    const key = listingKey(created.id);
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: key }));
    expect(Item).toMatchObject({ entity: 'Listing', schemaVersion: 2 });
    const { schemaVersion: _version, ...older } = Item ?? {};
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: older }));
    expect(await listings.get(created.id)).toEqual(created);
  });

  it('refuses to read a listing item that does not match its schema, naming it', async () => {
    const created = await listings.create('seller-versions', lampContent);
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: listingKey(created.id),
        UpdateExpression: 'REMOVE price',
      }),
    );
    await expect(listings.get(created.id)).rejects.toThrow(
      `Cannot decode Listing item (PK LISTING#${created.id}, SK LISTING): price: `,
    );
  });

  it('returns undefined for an unknown id', async () => {
    expect(await listings.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('updates the owner’s listing at the expected version and bumps the version', async () => {
    const created = await listings.create('seller-update', lampContent);
    const updated = await listings.update(created.id, 'seller-update', 1, { stock: 10, title: 'Lamp' });
    expect(updated).toMatchObject({ stock: 10, title: 'Lamp', version: 2, createdAt: created.createdAt });
    expect(await listings.get(created.id)).toEqual(updated);
  });

  it('rejects a stale version, another seller and a missing listing, changing nothing', async () => {
    const created = await listings.create('seller-reject', lampContent);
    await listings.update(created.id, 'seller-reject', 1, { stock: 4 });
    const before = await listings.get(created.id);

    expect(await rejection(listings.update(created.id, 'seller-reject', 1, { stock: 0 }))).toEqual({
      kind: 'stale-version',
      code: 'version_mismatch',
    });
    // Another seller's draft does not exist for them; a published listing does, but is not theirs.
    expect(await rejection(listings.update(created.id, 'mallory', 2, { stock: 0 }))).toEqual({
      kind: 'not-found',
      code: 'listing_not_found',
    });
    expect(
      await rejection(listings.update('00000000-0000-4000-8000-000000000000', 'seller-reject', 1, {})),
    ).toEqual({
      kind: 'not-found',
      code: 'listing_not_found',
    });
    expect(await listings.get(created.id)).toEqual(before);
  });

  it('lets exactly one of ten concurrent updates at the same version win', async () => {
    const created = await listings.create('seller-race', lampContent);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, stock) => listings.update(created.id, 'seller-race', 1, { stock })),
    );
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason.code] : []));
    expect(losers).toEqual(Array(9).fill('version_mismatch'));
    expect((await listings.get(created.id))?.version).toBe(2);
  });

  it('publishes only once the seller has a profile and Stripe has enabled charges, and unpublishes', async () => {
    const created = await listings.create('seller-publish', lampContent);
    expect(await rejection(listings.transition(created.id, 'seller-publish', 'publish'))).toEqual({
      kind: 'conflict',
      code: 'seller_profile_required',
    });
    expect((await listings.get(created.id))?.status).toBe('draft');

    await sellers.create('seller-publish', aliceProfile);
    expect(await rejection(listings.transition(created.id, 'seller-publish', 'publish'))).toEqual({
      kind: 'conflict',
      code: 'payments_not_enabled',
    });
    const onboarding = {
      ...enabledPaymentsAccount('acct_publish'),
      chargesEnabled: false,
      requirementsDue: ['external_account'],
    };
    await paymentsAccounts.recordObserved('seller-publish', onboarding, new Date());
    const refused = await listings
      .transition(created.id, 'seller-publish', 'publish')
      .catch((error) => error);
    expect(refused).toMatchObject({ code: 'payments_not_enabled' });
    expect(refused.message).toContain('a bank account for your payouts');
    expect((await listings.get(created.id))?.status).toBe('draft');

    await paymentsAccounts.recordObserved(
      'seller-publish',
      enabledPaymentsAccount('acct_publish'),
      new Date(),
    );
    const published = await listings.transition(created.id, 'seller-publish', 'publish', 1);
    expect(published).toMatchObject({ status: 'published', version: 2 });
    expect(published.publishedAt).toBe(published.updatedAt);

    expect(await rejection(listings.transition(created.id, 'seller-publish', 'publish'))).toEqual({
      kind: 'conflict',
      code: 'listing_state_conflict',
    });
    const unpublished = await listings.transition(created.id, 'seller-publish', 'unpublish');
    expect(unpublished).toMatchObject({
      status: 'unpublished',
      version: 3,
      publishedAt: published.publishedAt,
    });
  });

  it('keeps a listing published when Stripe later disables charges, but refuses to publish it again', async () => {
    await sellerReadyToPublish('seller-disabled');
    const created = await listings.create('seller-disabled', lampContent);
    await listings.transition(created.id, 'seller-disabled', 'publish');
    const disabled = {
      ...enabledPaymentsAccount('acct_seller-disabled'),
      chargesEnabled: false,
      disabledReason: 'rejected.fraud',
    };
    await paymentsAccounts.recordObserved('seller-disabled', disabled, new Date());

    expect((await listings.get(created.id))?.status).toBe('published');
    await listings.transition(created.id, 'seller-disabled', 'unpublish');
    const refused = await listings
      .transition(created.id, 'seller-disabled', 'publish')
      .catch((error) => error);
    expect(refused).toMatchObject({ code: 'payments_not_enabled' });
    expect(refused.message).toContain('suspected fraud');
  });

  it('checks owner and version on transitions too', async () => {
    await sellerReadyToPublish('seller-transition');
    const created = await listings.create('seller-transition', lampContent);
    expect(await rejection(listings.transition(created.id, 'mallory', 'publish'))).toMatchObject({
      kind: 'not-found',
    });
    expect(await rejection(listings.transition(created.id, 'seller-transition', 'publish', 7))).toMatchObject(
      {
        kind: 'stale-version',
      },
    );
    expect((await listings.get(created.id))?.version).toBe(1);
    await listings.transition(created.id, 'seller-transition', 'publish');
    expect(await rejection(listings.transition(created.id, 'mallory', 'unpublish'))).toMatchObject({
      kind: 'forbidden',
    });
    expect(await rejection(listings.update(created.id, 'mallory', 2, { stock: 0 }))).toMatchObject({
      kind: 'forbidden',
    });
  });

  it('pages through a seller’s listings newest first without repeats or gaps', async () => {
    const created = [];
    for (let day = 1; day <= 7; day += 1) {
      created.push(await listings.create('seller-pages', lampContent, new Date(Date.UTC(2026, 0, day))));
    }
    await listings.create('someone-else', lampContent);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listings.listBySeller('seller-pages', 3, cursor);
      seen.push(...page.items.map((listing) => listing.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(created.map((listing) => listing.id).reverse());
  });

  it('gives the last page no cursor, even when the count is a multiple of the page size', async () => {
    for (let index = 0; index < 4; index += 1) await listings.create('seller-exact', lampContent);
    const first = await listings.listBySeller('seller-exact', 2);
    expect(first.items).toHaveLength(2);
    const second = await listings.listBySeller('seller-exact', 2, first.nextCursor);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeUndefined();
  });
});
