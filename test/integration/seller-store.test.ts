import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '#shared/domain/errors.ts';
import { SellerStore } from '#shared/store/seller-store.ts';
import { aliceProfile } from '../support/fixtures.ts';
import { freshTable } from '../support/table.ts';

let sellers: SellerStore;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  sellers = new SellerStore(client, tableName);
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: DomainError) => error.code,
  );

describe('SellerStore', () => {
  it('creates a profile once', async () => {
    const profile = await sellers.create('alice', aliceProfile);
    expect(profile).toMatchObject({ ...aliceProfile, sellerId: 'alice', version: 1 });
    expect(await sellers.get('alice')).toEqual(profile);
    expect(await failure(sellers.create('alice', { ...aliceProfile, displayName: 'Other' }))).toBe(
      'seller_profile_exists',
    );
    expect((await sellers.get('alice'))?.displayName).toBe(aliceProfile.displayName);
  });

  it('updates at the expected version, keeping createdAt', async () => {
    const created = await sellers.create('bruno', aliceProfile);
    const updated = await sellers.update('bruno', 1, { ...aliceProfile, country: 'BE' });
    expect(updated).toMatchObject({ country: 'BE', version: 2, createdAt: created.createdAt });
    expect(await failure(sellers.update('bruno', 1, aliceProfile))).toBe('version_mismatch');
    expect(await failure(sellers.update('nobody', 1, aliceProfile))).toBe('seller_profile_not_found');
    expect(await sellers.get('bruno')).toEqual(updated);
  });
});
