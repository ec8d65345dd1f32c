import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CommissionRules, defaultCommissionRules } from '#shared/domain/commission.ts';
import { CommissionRulesStore } from '#shared/store/commission-store.ts';
import { SuspensionStore } from '#shared/store/suspension-store.ts';
import { storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

const rules: CommissionRules = {
  ...defaultCommissionRules,
  categories: [{ category: 'home/lamps', rateBps: 800, fixedFee: { EUR: 30 }, maximum: { EUR: 5000 } }],
};

describe('OrderStore.checkoutInputs', () => {
  it("reads the cart's listings, the commission rules and the buyer's standing, each listing once, the default rules when none are saved", async () => {
    const { client, tableName } = await freshTable();
    const { orders, publishedListing } = storeCheckouts(client, tableName);
    const [lamp, chair] = await Promise.all([publishedListing(), publishedListing()]);
    const missing = randomUUID();

    const unsaved = await orders.checkoutInputs('buyer-1', [lamp.id, chair.id, lamp.id, missing]);
    expect(unsaved.listings).toEqual(
      new Map([
        [lamp.id, lamp],
        [chair.id, chair],
      ]),
    );
    expect(unsaved.commission).toEqual({ rules: defaultCommissionRules, version: 0 });
    expect(unsaved.buyerSuspended).toBe(false);

    const saved = await new CommissionRulesStore(client, tableName).save(rules, 0, 'admin-1');
    await new SuspensionStore(client, tableName).suspend('buyer-1', { reason: 'Fraud', by: 'admin-1' });
    const afterwards = await orders.checkoutInputs('buyer-1', [lamp.id]);
    expect(afterwards.commission).toEqual(saved);
    expect(afterwards.buyerSuspended).toBe(true);
    expect((await orders.checkoutInputs('buyer-2', [lamp.id])).buyerSuspended).toBe(false);
  });
});
