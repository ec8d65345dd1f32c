import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CommissionRules, defaultCommissionRules } from '#shared/domain/commission.ts';
import type { DomainError } from '#shared/domain/errors.ts';
import {
  CommissionRulesExist,
  CommissionRulesStore,
  SellerSalesStore,
} from '#shared/store/commission-store.ts';
import { keys } from '#shared/store/table.ts';
import { freshTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let sales: SellerSalesStore;

beforeAll(async () => {
  table = await freshTable();
  sales = new SellerSalesStore(table.client, table.tableName);
});

/** A rules store on a table of its own: the rule set is one item per table. */
async function newRulesStore() {
  const { client, tableName } = await freshTable();
  return new CommissionRulesStore(client, tableName);
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'saved',
    (error: DomainError | CommissionRulesExist) =>
      error instanceof CommissionRulesExist ? `exists at ${error.version}` : error.code,
  );

const lampRules: CommissionRules = {
  ...defaultCommissionRules,
  categories: [{ category: 'home/lamps', rateBps: 800, fixedFee: { EUR: 30 }, maximum: { EUR: 5000 } }],
};

describe('CommissionRulesStore', () => {
  it('serves the default rules at version 0 while none are saved', async () => {
    const rules = await newRulesStore();
    expect(await rules.get()).toEqual({ rules: defaultCommissionRules, version: 0 });
  });

  it('saves the first rule set without an expected version, then only at the current one', async () => {
    const rules = await newRulesStore();
    const now = new Date('2030-03-04T05:06:07.000Z');
    const first = await rules.save(lampRules, undefined, 'admin-1', now);
    expect(first).toEqual({
      rules: lampRules,
      version: 1,
      updatedAt: now.toISOString(),
      updatedBy: 'admin-1',
    });
    expect(await rules.get()).toEqual(first);

    const changed = { ...lampRules, default: { rateBps: 1200 } };
    const second = await rules.save(changed, 1, 'admin-2');
    expect(second).toMatchObject({ rules: changed, version: 2, updatedBy: 'admin-2' });

    // Stale or missing expectations change nothing.
    expect(await failure(rules.save(defaultCommissionRules, 1, 'admin-3'))).toBe('version_mismatch');
    expect(await failure(rules.save(defaultCommissionRules, 0, 'admin-3'))).toBe('version_mismatch');
    expect(await failure(rules.save(defaultCommissionRules, 7, 'admin-3'))).toBe('version_mismatch');
    expect(await failure(rules.save(defaultCommissionRules, undefined, 'admin-3'))).toBe('exists at 2');
    expect(await rules.get()).toEqual(second);
  });

  it('takes version 0 as "none saved yet", and refuses a later version when none is', async () => {
    const rules = await newRulesStore();
    expect(await failure(rules.save(lampRules, 1, 'admin-1'))).toBe('version_mismatch');
    expect((await rules.save(lampRules, 0, 'admin-1')).version).toBe(1);
  });

  it('lets exactly one of two concurrent saves at the same version win', async () => {
    const rules = await newRulesStore();
    await rules.save(lampRules, undefined, 'admin-1');
    const outcomes = await Promise.all(
      [700, 900].map((rateBps) => failure(rules.save({ ...lampRules, default: { rateBps } }, 1, 'admin'))),
    );
    expect(outcomes.sort()).toEqual(['saved', 'version_mismatch']);
    expect((await rules.get()).version).toBe(2);
  });
});

describe('SellerSalesStore', () => {
  const now = new Date('2030-03-04T18:00:00.000Z');

  it('has no volume for a seller without sales', async () => {
    expect(await sales.trailingVolume(`seller-${randomUUID()}`, 'EUR', now)).toBe(0);
  });

  it('sums the sales of the 30 days ending today, per seller and currency', async () => {
    const seller = `seller-${randomUUID()}`;
    const other = `seller-${randomUUID()}`;
    await Promise.all([
      sales.recordSale(seller, 'EUR', 1000, '2030-03-04'), // today
      sales.recordSale(seller, 'EUR', 2000, '2030-03-04'), // same day: added up
      sales.recordSale(seller, 'EUR', 300, '2030-02-03'), // the window's first day
      sales.recordSale(seller, 'EUR', 40_000, '2030-02-02'), // a day too old
      sales.recordSale(seller, 'EUR', 500_000, '2030-03-05'), // tomorrow (UTC)
      sales.recordSale(seller, 'USD', 7, '2030-03-01'),
      sales.recordSale(other, 'EUR', 9, '2030-03-01'),
    ]);
    expect(await sales.trailingVolume(seller, 'EUR', now)).toBe(3300);
    expect(await sales.trailingVolume(seller, 'USD', now)).toBe(7);
    expect(await sales.trailingVolume(other, 'EUR', now)).toBe(9);
    expect(await sales.trailingVolume(seller, 'EUR', new Date('2030-03-05T00:00:00.000Z'))).toBe(503_000);
  });

  it('keeps one item per seller, currency and day, deleted by TTL after the window', async () => {
    const seller = `seller-${randomUUID()}`;
    await sales.recordSale(seller, 'EUR', 1000, '2030-03-04');
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.sellerDailySales(seller, 'EUR', '2030-03-04') }),
    );
    expect(Item).toMatchObject({
      entity: 'SellerDailySales',
      sellerId: seller,
      currency: 'EUR',
      day: '2030-03-04',
      amount: 1000,
      expiresAt: Date.parse('2030-04-05T00:00:00Z') / 1000,
    });
  });

  it('refuses sales that are not whole non-negative amounts on a UTC date', () => {
    expect(() => sales.saleUpdate('s', 'EUR', -1, '2030-03-04')).toThrow(/non-negative integer/);
    expect(() => sales.saleUpdate('s', 'EUR', 1.5, '2030-03-04')).toThrow(/non-negative integer/);
    expect(() => sales.saleUpdate('s', 'EUR', 1, '2030-3-4')).toThrow(/YYYY-MM-DD/);
    expect(() => sales.saleUpdate('s', 'EUR', 1, '2030-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => sales.saleUpdate('s', 'EUR', 1, '2030-03-04T00:00')).toThrow(/YYYY-MM-DD/);
  });
});
