import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CommissionRules, defaultCommissionRules } from '#shared/domain/commission.ts';
import type { DomainError } from '#shared/domain/errors.ts';
import type { Order } from '#shared/domain/order.ts';
import { type Sale, saleOf } from '#shared/domain/sales-volume.ts';
import { CommissionRulesExist, CommissionRulesStore } from '#shared/store/commission-store.ts';
import { sellerBuyerKey } from '#shared/store/entities/seller-buyer.ts';
import { sellerDailySalesKey } from '#shared/store/entities/seller-daily-sales.ts';
import { SellerSalesStore } from '#shared/store/seller-sales-store.ts';
import { recordReturn, recordSale } from '../support/seller-sales.ts';
import { newId, storeCheckouts } from '../support/store-checkouts.ts';
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
  const seller = () => newId('seller');
  const sale = (sellerId: string, buyerId: string, amount: number, day: string, currency = 'EUR'): Sale => ({
    sellerId,
    buyerId,
    currency,
    amount,
    day,
  });
  const captured = (...args: Parameters<typeof sale>) =>
    recordSale(table.client, table.tableName, sale(...args));
  const returned = (...args: Parameters<typeof sale>) =>
    recordReturn(table.client, table.tableName, sale(...args));

  it('has no volume and no buyers for a seller without sales', async () => {
    expect(await sales.trailingVolume(seller(), 'EUR', now)).toEqual({ amount: 0, buyers: 0 });
  });

  it('sums the sales of the 30 days ending today and counts their distinct buyers, per seller and currency', async () => {
    const [sam, other] = [seller(), seller()];
    await captured(sam, 'bea', 1000, '2030-03-04'); // today
    await captured(sam, 'bea', 2000, '2030-03-04'); // same day, same buyer: added up, counted once
    await captured(sam, 'cy', 300, '2030-02-03'); // the window's first day
    await captured(sam, 'dee', 40_000, '2030-02-02'); // a day too old
    await captured(sam, 'eve', 500_000, '2030-03-05'); // tomorrow (UTC)
    await captured(sam, 'bea', 7, '2030-03-01', 'USD');
    await captured(other, 'bea', 9, '2030-03-01');
    expect(await sales.trailingVolume(sam, 'EUR', now)).toEqual({ amount: 3300, buyers: 2 });
    expect(await sales.trailingVolume(sam, 'USD', now)).toEqual({ amount: 7, buyers: 1 });
    expect(await sales.trailingVolume(other, 'EUR', now)).toEqual({ amount: 9, buyers: 1 });
    expect(await sales.trailingVolume(sam, 'EUR', new Date('2030-03-05T00:00:00.000Z'))).toEqual({
      amount: 503_000,
      buyers: 2, // cy's day left the window, eve's came in
    });
  });

  it('counts a buyer in the window after their latest purchase, not their first', async () => {
    const sam = seller();
    await captured(sam, 'bea', 100, '2030-02-10');
    await captured(sam, 'bea', 100, '2030-03-01');
    // 2030-03-12's window starts on 2030-02-11: bea's first purchase left it, her latest did not.
    expect(await sales.trailingVolume(sam, 'EUR', new Date('2030-03-12T00:00:00.000Z'))).toEqual({
      amount: 100,
      buyers: 1,
    });
    expect(await sales.trailingVolume(sam, 'EUR', new Date('2030-03-31T00:00:00.000Z'))).toEqual({
      amount: 0,
      buyers: 0,
    });
  });

  it('takes refunds and lost chargebacks off the day they happen, and a buyer given back everything off the count', async () => {
    const sam = seller();
    await captured(sam, 'farm', 60_000, '2030-03-01');
    await captured(sam, 'bea', 1000, '2030-03-02');
    expect(await sales.trailingVolume(sam, 'EUR', now)).toEqual({ amount: 61_000, buyers: 2 });

    await returned(sam, 'farm', 60_000, '2030-03-03');
    await returned(sam, 'bea', 400, '2030-03-03');
    expect(await sales.trailingVolume(sam, 'EUR', now)).toEqual({ amount: 600, buyers: 1 });
    const item = async (day: string) =>
      (
        await table.client.send(
          new GetCommand({ TableName: table.tableName, Key: sellerDailySalesKey(sam, 'EUR', day) }),
        )
      ).Item;
    expect(await item('2030-03-01')).toMatchObject({ amount: 60_000, buyers: 0 });
    expect(await item('2030-03-03')).toMatchObject({ amount: -60_400, buyers: 0 });

    // A refund of a sale older than the window still comes off: the volume stops at 0.
    await returned(sam, 'old-buyer', 5000, '2030-03-04');
    expect(await sales.trailingVolume(sam, 'EUR', now)).toEqual({ amount: 0, buyers: 1 });
  });

  it('keeps one item per seller, currency and day (92 days, for dashboards) and one per buyer (32 days)', async () => {
    const sam = seller();
    await captured(sam, 'bea', 1000, '2030-03-04');
    const get = async (Key: Record<string, string>) =>
      (await table.client.send(new GetCommand({ TableName: table.tableName, Key }))).Item;
    const expiresAt = Date.parse('2030-04-05T00:00:00Z') / 1000;
    const dayExpiresAt = Date.parse('2030-06-04T00:00:00Z') / 1000;
    expect(await get(sellerDailySalesKey(sam, 'EUR', '2030-03-04'))).toMatchObject({
      entity: 'SellerDailySales',
      sellerId: sam,
      currency: 'EUR',
      day: '2030-03-04',
      amount: 1000,
      buyers: 1,
      expiresAt: dayExpiresAt,
    });
    expect(await get(sellerBuyerKey(sam, 'EUR', 'bea'))).toMatchObject({
      entity: 'SellerBuyer',
      sellerId: sam,
      currency: 'EUR',
      buyerId: 'bea',
      day: '2030-03-04',
      net: 1000,
      version: 1,
      expiresAt,
    });
  });

  it("reads a seller's days of every currency from a day on, for the dashboard's revenue", async () => {
    const sam = seller();
    await captured(sam, 'bea', 1000, '2030-03-04');
    await captured(sam, 'bea', 7, '2030-01-10', 'USD');
    await captured(sam, 'cy', 300, '2029-12-01');
    const days = await sales.dailySalesSince(sam, '2030-01-01');
    expect(days.map(({ currency, day, amount }) => ({ currency, day, amount }))).toEqual([
      { currency: 'EUR', day: '2030-03-04', amount: 1000 },
      { currency: 'USD', day: '2030-01-10', amount: 7 },
    ]);
  });

  it('refuses writes read from a buyer standing that changed since', async () => {
    const sam = seller();
    const first = await sales.saleWrites(sale(sam, 'bea', 100, '2030-03-04'));
    const second = await sales.saleWrites(sale(sam, 'bea', 200, '2030-03-04'));
    await table.client.send(new TransactWriteCommand({ TransactItems: first }));
    const lost = await table.client.send(new TransactWriteCommand({ TransactItems: second })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(lost).toBeInstanceOf(TransactionCanceledException);
    expect((lost as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ]);
    expect(await sales.trailingVolume(sam, 'EUR', now)).toEqual({ amount: 100, buyers: 1 });
  });

  it('records sales of one buyer captured at once with two orders once each, counting the buyer once', async () => {
    const { orders, publishedListing, placeCheckout } = storeCheckouts(table.client, table.tableName);
    const listing = await publishedListing({ stock: 5 });
    const buyerId = newId('buyer');
    const placed = await Promise.all([1, 2].map(() => placeCheckout(buyerId, [{ listing, quantity: 1 }])));
    const [one, two] = placed.map(({ orders: [order] }) => order);
    if (!one || !two) throw new Error('the checkouts planned no orders');
    let reads = 0;
    let release = () => {};
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const capture = (order: Order) =>
      orders.update(order.id, (current) => ({ order: current }), {
        now,
        alsoWriteIfUnchanged: async (next) => {
          const writes = await sales.saleWrites(saleOf(next, next.total, now));
          if (++reads === 2) release();
          // Both first attempts read the buyer before either writes: one of them loses the race.
          await bothRead;
          return writes;
        },
      });
    await Promise.all([capture(one), capture(two)]);
    expect(reads).toBe(3);
    expect(await sales.trailingVolume(listing.sellerId, 'EUR', now)).toEqual({
      amount: one.total + two.total,
      buyers: 1,
    });
  });

  it('refuses sales that are not whole non-negative amounts on a UTC date', async () => {
    const refused = (amount: number, day: string) => sales.saleWrites(sale('s', 'b', amount, day));
    await expect(refused(-1, '2030-03-04')).rejects.toThrow(/non-negative integer/);
    await expect(refused(1.5, '2030-03-04')).rejects.toThrow(/non-negative integer/);
    await expect(sales.returnWrites(sale('s', 'b', -1, '2030-03-04'))).rejects.toThrow(
      /non-negative integer/,
    );
    await expect(refused(1, '2030-3-4')).rejects.toThrow(/YYYY-MM-DD/);
    await expect(refused(1, '2030-02-30')).rejects.toThrow(/YYYY-MM-DD/);
    await expect(refused(1, '2030-03-04T00:00')).rejects.toThrow(/YYYY-MM-DD/);
  });
});
